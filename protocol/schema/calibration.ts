import Type, { type Static } from "typebox";

const FiniteNumber = Type.Refine(Type.Number(), (n) => Number.isFinite(n), () => "must be a finite number");

/** `value = gain·raw + offset`, in the channel's unit; further kinds would join as a union on `kind`. */
export const Calibration = Type.Object({
  kind: Type.Literal("linear"),
  gain: FiniteNumber,
  offset: FiniteNumber,
});
export type Calibration = Static<typeof Calibration>;
