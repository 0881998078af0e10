import { cumulativeTrapezoid, integrateTrapezoid } from "./integrate.ts";
import type { Cycle, Direction } from "./steps.ts";

export interface CycleStateOfCharge {
  /** Index of values[0] in the run. */
  start: number;
  /** Charge stored since the cycle began / the charge its "in" half-cycle stored, per sample; NaN where excluded. */
  values: Float64Array;
  /** |∫ I dt| of the "in" half-cycle, A·s. */
  inCharge_As: number;
}

/** State of charge of the electrode under test through one cycle: 0 at its start, 1 after its "in" half-cycle. */
export function cycleStateOfCharge(
  time_s: Float64Array,
  current_A: Float64Array,
  cycle: Cycle,
  options: { storing: Direction; maxGap_s: number; exclude?: Uint8Array },
): CycleStateOfCharge {
  const first = cycle.in ?? cycle.out;
  const last = cycle.out ?? cycle.in;
  if (first === undefined || last === undefined) throw new Error(`cycle ${cycle.number} has no half-cycle`);
  const range = { start: first.start, end: last.end, maxGap_s: options.maxGap_s, exclude: options.exclude };
  const values = cumulativeTrapezoid(time_s, current_A, range);
  const inCharge_As =
    cycle.in === undefined ? Number.NaN : Math.abs(integrateTrapezoid(time_s, current_A, { ...range, start: cycle.in.start, end: cycle.in.end }).integral);
  const scale = (options.storing === "charge" ? 1 : -1) / inCharge_As;
  for (let k = 0; k < values.length; k++) values[k] *= scale;
  return { start: first.start, values, inCharge_As };
}
