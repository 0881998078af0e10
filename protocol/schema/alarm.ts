import Type, { type Static } from "typebox";
import { Compile } from "typebox/compile";
import { FiniteNumber } from "./finite.ts";
import { Id } from "./id.ts";
import { Uint, Uint32 } from "./uint.ts";

/** Sent by the board when a rule is raised and when it clears; published at once on `cellrig/v1/<rig>/<board>/alarm`. */
export const Alarm = Type.Object(
  {
    b: Uint32,
    /** Alarm messages sent earlier in this boot: (board, b, n) identifies one across redeliveries. */
    n: Uint32,
    t: Uint,
    v: Type.Literal(1),
    rule: Id,
    state: Type.Union([Type.Literal("raised"), Type.Literal("cleared")]),
    /** The value that raised or cleared the rule, in the channel's unit. */
    value: FiniteNumber,
    channel: Id,
    threshold: FiniteNumber,
  },
  { description: "An edge alarm raised or cleared: channel, rule, state, value, threshold (channel's unit) and board time (µs)" },
);
export type Alarm = Static<typeof Alarm>;

export const alarmValidator = Compile(Alarm);
