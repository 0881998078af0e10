import Type, { type Static } from "typebox";
import { Compile } from "typebox/compile";
import { FRAME_FLAGS_V1, QUALITY_FLAGS_V1 } from "../wire/data-frame.ts";
import { Block } from "./block.ts";
import { Uint, Uint32 } from "./uint.ts";

/**
 * Quality flags of one block (bits, PROTOCOL.md "data"): 1 saturated, 2 open circuit, 4 low optical
 * sum, 8 late sample, 16 gap before this block. Bits v1 does not define are refused.
 */
export const QualityFlags = Type.Integer({ minimum: 0, maximum: QUALITY_FLAGS_V1 });

/** Frame flags: bit 0 backfill (stored on the board during an outage and forwarded later). */
export const FrameFlags = Type.Integer({ minimum: 0, maximum: FRAME_FLAGS_V1 });

/** One frame of samples on `cellrig/v1/<rig>/<board>/data`. */
export const Data = Type.Object(
  {
    b: Uint32,
    c: Type.Array(Block, { maxItems: 256 }),
    f: Type.Optional(FrameFlags),
    /** Largest lateness of any sample in the frame, µs. */
    j: Type.Optional(Uint),
    /** Per channel, ticks from `t` to its first sample. */
    o: Type.Optional(Type.Array(Uint, { maxItems: 256 })),
    p: Type.Integer({ minimum: 1, maximum: 4294967295 }),
    q: Type.Optional(Type.Array(QualityFlags, { maxItems: 256 })),
    s: Uint32,
    t: Uint,
    v: Type.Literal(1),
  },
  { description: "One frame of raw samples: per channel a delta-coded byte string or an RFC 8746 typed array" },
);
export type Data = Static<typeof Data>;

export const dataValidator = Compile(Data);

export function isData(value: unknown): value is Data {
  return dataValidator.Check(value);
}
