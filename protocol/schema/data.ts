import Type, { type Static } from "typebox";
import { Compile } from "typebox/compile";
import { Block } from "./block.ts";
import { Uint, Uint32 } from "./uint.ts";

/** One frame of samples on `cellrig/v1/<rig>/<board>/data`. */
export const Data = Type.Object({
  b: Uint32,
  c: Type.Array(Block, { maxItems: 256 }),
  /** Bit 0: backfill, stored on the board during an outage and forwarded later. */
  f: Type.Optional(Uint),
  j: Type.Optional(Uint),
  o: Type.Optional(Type.Array(Uint, { maxItems: 256 })),
  p: Type.Integer({ minimum: 1, maximum: 4294967295 }),
  q: Type.Optional(Type.Array(Uint, { maxItems: 256 })),
  s: Uint32,
  t: Uint,
  v: Type.Literal(1),
});
export type Data = Static<typeof Data>;

export const dataValidator = Compile(Data);

export function isData(value: unknown): value is Data {
  return dataValidator.Check(value);
}
