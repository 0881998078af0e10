import { SimBoard } from "../../../sim/runtime/board.ts";
import { VirtualClock } from "../../../sim/runtime/clock.ts";
import type { SimFlash } from "../../../sim/runtime/flash.ts";
import type { SimNetwork } from "../../../sim/runtime/net.ts";
import type { SimBoardProfile } from "../../../sim/runtime/profile.ts";

/** 2025-01-01T00:00:00Z: a start time that is not a round number of anything the tests use. */
export const START_s = 1_735_689_600.25;

export const TEST_PROFILE: SimBoardProfile = {
  id: "ESP32",
  jsvars: 16_383,
  storageBytes: 16_384,
  i2c: [{ name: "I2C1", scl: "D22", sda: "D21" }],
  spi: [{ name: "SPI1", sck: "D18", miso: "D19", mosi: "D23" }],
  pins: ["D18", "D19", "D21", "D22", "D23", "D5", "A0"],
};

export function bootBoard(code: string, options: { clock?: VirtualClock; flash?: SimFlash; network?: SimNetwork; profile?: SimBoardProfile } = {}): SimBoard {
  const board = new SimBoard({
    code,
    profile: options.profile ?? TEST_PROFILE,
    serial: "0123456789ab",
    clock: options.clock ?? new VirtualClock(START_s),
    ...(options.flash === undefined ? {} : { flash: options.flash }),
    ...(options.network === undefined ? {} : { network: options.network }),
  });
  board.boot();
  return board;
}

/** Runs an expression inside a board and returns what it printed. */
export function evaluate(expression: string): string {
  const board = bootBoard(`print(${expression});`);
  if (board.errors.length > 0) throw new Error(`${board.errors[0]!.name}: ${board.errors[0]!.message}`);
  board.close();
  return board.output.join("\n");
}
