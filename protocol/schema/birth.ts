import Type, { type Static } from "typebox";
import { Compile } from "typebox/compile";
import { Calibration } from "./calibration.ts";
import { Id } from "./id.ts";
import { Uint, Uint32 } from "./uint.ts";

export const BirthChannel = Type.Object({
  id: Id,
  quantity: Type.String(),
  unit: Type.String(),
  sensor: Type.String(),
  rate_hz: Type.Number({ exclusiveMinimum: 0 }),
  /** The channel samples every `every` base ticks. */
  every: Type.Integer({ minimum: 1, maximum: 4294967295 }),
  cal: Calibration,
  /** Raw code description and driver configuration: stored as sent, not interpreted by the host. */
  raw: Type.Optional(Type.Unknown()),
  cfg: Type.Optional(Type.Unknown()),
});
export type BirthChannel = Static<typeof BirthChannel>;

export const ClockSource = Type.Union([Type.Literal("ntp"), Type.Literal("host"), Type.Literal("rtc"), Type.Literal("free")]);

/** Retained on `cellrig/v1/<rig>/<board>/birth`: who the board is and how to read its frames. */
export const Birth = Type.Object({
  board: Id,
  boot: Uint32,
  channels: Type.Array(BirthChannel, { maxItems: 256 }),
  clock: Type.Object({ source: ClockSource, offset_us: Type.Integer() }),
  fw: Type.Object({ version: Type.String(), build: Type.String() }),
  profile: Type.String(),
  rig: Id,
  /** Sequence number of the next data frame. */
  seq: Uint32,
  t: Uint,
  tick_us: Type.Integer({ minimum: 1, maximum: 4294967295 }),
  v: Type.Literal(1),
});
export type Birth = Static<typeof Birth>;

export const birthValidator = Compile(Birth);

export function isBirth(value: unknown): value is Birth {
  return birthValidator.Check(value);
}
