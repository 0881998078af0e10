import Type, { type Static } from "typebox";
import { Compile } from "typebox/compile";
import { Uint, Uint32 } from "./uint.ts";

const UsedTotal = Type.Object({ used: Uint32, total: Uint32 });

/** Periodic figures of the board itself, on `cellrig/v1/<rig>/<board>/health` (QoS 0). */
export const Health = Type.Object(
  {
    b: Uint32,
    t: Uint,
    v: Type.Literal(1),
    /** Time since boot, µs. */
    up: Uint,
    /** Bytes of records waiting for acknowledgement in the store (RAM ring and flash), of its capacity. */
    buf: UsedTotal,
    /** Espruino error flags (E.getErrorFlags()), e.g. "FIFO_FULL", "LOW_MEMORY". */
    err: Type.Array(Type.String({ maxLength: 32 }), { maxItems: 16 }),
    /** Interpreter variables (JsVars) in use, of the total. */
    mem: UsedTotal,
    link: Type.Object({ state: Type.Union([Type.Literal("up"), Type.Literal("down")]), connects: Uint32 }),
  },
  { description: "Memory, buffer fill, error flags, link state and uptime of one board" },
);
export type Health = Static<typeof Health>;

export const healthValidator = Compile(Health);
