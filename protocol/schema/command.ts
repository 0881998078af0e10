import Type, { type Static, type TSchema } from "typebox";
import { Compile } from "typebox/compile";
import { COMMAND_OPS, MAX_COUNTER, MAX_RATE_HZ, TAG_BYTES, type CommandOp } from "../wire/command.ts";
import { Calibration } from "./calibration.ts";
import { FiniteNumber } from "./finite.ts";
import { Id } from "./id.ts";
import { Uint32 } from "./uint.ts";

/** A command's authentication tag: a byte string of exactly TAG_BYTES (no JSON equivalent). */
const Tag = Type.Refine(
  Type.Unsafe<Uint8Array>({ description: `CBOR byte string of ${TAG_BYTES} bytes: HMAC-SHA1 of the command (no JSON equivalent)` }),
  (value) => value instanceof Uint8Array && value.length === TAG_BYTES,
  () => `must be a byte string of ${TAG_BYTES} bytes`,
);

/**
 * Fields every command carries; `id` is echoed in the ack. `persist: true` asks the board to write
 * a configuration change to its stored configuration (cellrig.json), so it survives a reboot.
 */
const common = {
  v: Type.Literal(1),
  id: Uint32,
  persist: Type.Optional(Type.Boolean()),
  /** The board's current boot id, for a signed command (docs/PROTOCOL.md "Command authentication"). */
  boot: Type.Optional(Uint32),
  /** The signing host's counter for this board, strictly increasing within a boot. */
  n: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_COUNTER })),
  /** HMAC-SHA1 with the board's key over its board id, a zero byte and the command without these 20 bytes. */
  tag: Type.Optional(Tag),
};

const variants = {
  set_rate: Type.Object({ ...common, op: Type.Literal("set_rate"), channel: Id, rate_hz: Type.Number({ exclusiveMinimum: 0, maximum: MAX_RATE_HZ }) }),
  set_threshold: Type.Object({
    ...common,
    op: Type.Literal("set_threshold"),
    channel: Id,
    /** The alarm rule's name in the rig configuration. */
    rule: Id,
    threshold: FiniteNumber,
  }),
  set_calibration: Type.Object({ ...common, op: Type.Literal("set_calibration"), channel: Id, cal: Calibration }),
  rebirth: Type.Object({ ...common, op: Type.Literal("rebirth") }),
  /** Resend the stored frames of boot `b` from sequence number `seq` on, flagged as backfill. */
  resend_from: Type.Object({ ...common, op: Type.Literal("resend_from"), b: Uint32, seq: Uint32 }),
  reboot: Type.Object({ ...common, op: Type.Literal("reboot") }),
} satisfies { [K in CommandOp]: TSchema };

/** Configuration and control sent to one board on `cellrig/v1/<rig>/<board>/cmd`. */
export const Command = Type.Union(
  [variants.set_rate, variants.set_threshold, variants.set_calibration, variants.rebirth, variants.resend_from, variants.reboot],
  { description: "A command to a board; the board answers each with an ack carrying the same id" },
);
export type Command = Static<typeof Command>;

/** One compiled validator per op: errors then name the field of that op, not of the union. */
export const commandValidators: { [K in CommandOp]: ReturnType<typeof Compile<typeof variants[K]>> } = {
  set_rate: Compile(variants.set_rate),
  set_threshold: Compile(variants.set_threshold),
  set_calibration: Compile(variants.set_calibration),
  rebirth: Compile(variants.rebirth),
  resend_from: Compile(variants.resend_from),
  reboot: Compile(variants.reboot),
};

export function isCommandOp(op: unknown): op is CommandOp {
  return typeof op === "string" && (COMMAND_OPS as string[]).includes(op);
}
