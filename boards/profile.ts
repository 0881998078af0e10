import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Type, { type Static } from "typebox";
import { Compile } from "typebox/compile";

const PinName = Type.String({ pattern: "^[A-Z][0-9]{1,2}$" });

/** What a board offers the firmware: buses, pins, transport and the memory it has to fit in. */
export const BoardProfile = Type.Object({
  id: Type.String({ pattern: "^[a-z0-9-]{1,32}$" }),
  name: Type.String(),
  mcu: Type.String(),
  clock_MHz: Type.Number({ exclusiveMinimum: 0 }),
  /** tcp: direct sockets; wifi: sockets after joining a network; ble-uart and usb-serial: framed serial to a gateway. */
  transport: Type.Union([Type.Literal("tcp"), Type.Literal("wifi"), Type.Literal("ble-uart"), Type.Literal("usb-serial")]),
  /** Interpreter variables (12 to 16 bytes each) for the application, its buffers and the network stack. */
  jsvars: Type.Integer({ minimum: 1000 }),
  /** Flash available to require("Storage"), bytes. */
  storage_bytes: Type.Integer({ minimum: 4096 }),
  i2c: Type.Array(Type.Object({ bus: Type.String({ pattern: "^I2C[1-3]$" }), scl: PinName, sda: PinName })),
  spi: Type.Array(Type.Object({ bus: Type.String({ pattern: "^SPI[1-3]$" }), sck: PinName, miso: PinName, mosi: PinName })),
  analog_pins: Type.Array(PinName),
  /** Pins the firmware may drive as digital outputs (chip selects), from the board file's pin list. */
  gpio: Type.Array(PinName),
  max_sample_rate_hz: Type.Number({ exclusiveMinimum: 0 }),
  /** Where the figures come from. */
  source: Type.String(),
});
export type BoardProfile = Static<typeof BoardProfile>;

const check = Compile(BoardProfile);
const profilesDir = join(dirname(fileURLToPath(import.meta.url)), "profiles");

/** Every board profile id, sorted. */
export function boardIds(): string[] {
  return readdirSync(profilesDir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

/** Loads and validates boards/profiles/<id>.json. */
export function loadBoardProfile(id: string): BoardProfile {
  const ids = boardIds();
  if (!ids.includes(id)) {
    throw new Error(`board "${id}" is not known (available: ${ids.join(", ")})`);
  }
  const file = join(profilesDir, `${id}.json`);
  const profile: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!check.Check(profile)) {
    const problems = [...check.Errors(profile)].map((e) => `${e.instancePath || "/"} ${e.message}`);
    throw new Error(`board profile ${file} is invalid: ${problems.join("; ")}`);
  }
  return profile;
}
