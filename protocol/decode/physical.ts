import type { Calibration } from "../schema/calibration.ts";

/** Raw codes to the channel's physical unit with the birth's calibration. */
export function toPhysical(raw: ArrayLike<number>, cal: Calibration): Float64Array {
  const values = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) values[i] = cal.gain * raw[i]! + cal.offset;
  return values;
}
