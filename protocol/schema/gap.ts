import Type, { type Static } from "typebox";
import { Compile } from "typebox/compile";
import { GAP_REASONS } from "../wire/gap.ts";
import { Uint, Uint32 } from "./uint.ts";

/** The board's own report of samples it dropped, on `cellrig/v1/<rig>/<board>/gap`. */
export const Gap = Type.Object(
  {
    b: Uint32,
    v: Type.Literal(1),
    /** First lost frame's sequence number; present exactly when frames > 0. */
    seq: Type.Optional(Uint32),
    from: Uint,
    until: Uint,
    frames: Uint32,
    reason: Type.Union(GAP_REASONS.map((r) => Type.Literal(r))),
    samples: Uint,
  },
  { description: "Samples the board had to drop: how many, whole frames among them, and their time span (µs)" },
);
export type Gap = Static<typeof Gap>;

export const gapValidator = Compile(Gap);
