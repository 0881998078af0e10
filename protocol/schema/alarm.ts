import Type, { type Static } from "typebox";
import { Compile } from "typebox/compile";
import { FiniteNumber } from "./finite.ts";
import { Id } from "./id.ts";
import { Uint, Uint32 } from "./uint.ts";

/** Raised on the board when a rule trips; published at once on `cellrig/v1/<rig>/<board>/alarm`. */
export const Alarm = Type.Object(
  {
    b: Uint32,
    /** Alarms raised earlier in this boot: (board, b, n) identifies an alarm across redeliveries. */
    n: Uint32,
    t: Uint,
    v: Type.Literal(1),
    rule: Id,
    /** The value that tripped the rule, in the channel's unit. */
    value: FiniteNumber,
    channel: Id,
    threshold: FiniteNumber,
  },
  { description: "An alarm raised at the edge: channel, rule, value, threshold (channel's unit) and board time (µs)" },
);
export type Alarm = Static<typeof Alarm>;

export const alarmValidator = Compile(Alarm);
