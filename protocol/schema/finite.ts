import Type from "typebox";

/** A number that is neither NaN nor infinite: CBOR floats can carry both, no field of the protocol can. */
export const FiniteNumber = Type.Refine(Type.Number(), (n) => Number.isFinite(n), () => "must be a finite number");
