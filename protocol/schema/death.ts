import Type, { type Static } from "typebox";
import { Compile } from "typebox/compile";
import { Uint32 } from "./uint.ts";

/** The board's MQTT last will, retained on `cellrig/v1/<rig>/<board>/death`. */
export const Death = Type.Object({
  b: Uint32,
  v: Type.Literal(1),
});
export type Death = Static<typeof Death>;

export const deathValidator = Compile(Death);

export function isDeath(value: unknown): value is Death {
  return deathValidator.Check(value);
}
