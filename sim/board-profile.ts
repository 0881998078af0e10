import type { BoardProfile } from "../boards/profile.ts";
import type { SimBoardProfile } from "./runtime/profile.ts";

/** What the runtime needs of a board profile: its buses, the pins that exist, its memory and flash. */
export function simProfile(board: BoardProfile): SimBoardProfile {
  const pins = new Set<string>([...board.analog_pins, ...board.gpio]);
  for (const b of board.i2c) pins.add(b.scl).add(b.sda);
  for (const b of board.spi) pins.add(b.sck).add(b.miso).add(b.mosi);
  return {
    id: board.id,
    jsvars: board.jsvars,
    storageBytes: board.storage_bytes,
    i2c: board.i2c.map((b) => ({ name: b.bus, scl: b.scl, sda: b.sda })),
    spi: board.spi.map((b) => ({ name: b.bus, sck: b.sck, miso: b.miso, mosi: b.mosi })),
    pins: [...pins],
  };
}
