import type { Basis } from "./basis.ts";
import type { Cycle, HalfCycle } from "./steps.ts";

export interface HysteresisLoop {
  /** Centres of the grid of the abscissa (potential in V, or state of charge). */
  x: Float64Array;
  /** Mean of the signal in each grid cell during the "in" and "out" half-cycles; NaN where a cell is empty. */
  inMean: Float64Array;
  outMean: Float64Array;
  /** inMean − outMean: the loop's opening at each abscissa. */
  opening: Float64Array;
  step: number;
  basis: Basis;
}

/**
 * A signal against an abscissa through one cycle (stress versus potential or state of charge),
 * averaged on a uniform grid for each half-cycle so the two branches can be compared point by point.
 * `abscissaStart` is the run index of `abscissa[0]` (a per-cycle state-of-charge array starts at the cycle).
 */
export function hysteresisLoop(
  abscissa: Float64Array,
  signal: Float64Array,
  cycle: Cycle,
  options: { step: number; exclude?: Uint8Array; abscissaStart?: number },
): HysteresisLoop {
  const offset = options.abscissaStart ?? 0;
  const halves = [cycle.in, cycle.out].filter((h): h is HalfCycle => h !== undefined);
  let lo = Infinity;
  let hi = -Infinity;
  for (const half of halves) {
    for (let i = half.start; i <= half.end; i++) {
      const x = abscissa[i - offset];
      if (Number.isFinite(x)) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
  }
  const cells = Number.isFinite(lo) ? Math.max(1, Math.ceil((hi - lo) / options.step)) : 0;
  let used = 0;
  let excluded = 0;
  const branch = (half: HalfCycle | undefined): Float64Array => {
    const sum = new Float64Array(cells);
    const count = new Float64Array(cells);
    if (half !== undefined) {
      for (let i = half.start; i <= half.end; i++) {
        const x = abscissa[i - offset];
        const y = signal[i];
        if ((options.exclude !== undefined && options.exclude[i] !== 0) || !Number.isFinite(x) || !Number.isFinite(y)) {
          excluded++;
          continue;
        }
        const cell = Math.min(cells - 1, Math.floor((x - lo) / options.step));
        sum[cell] += y;
        count[cell]++;
        used++;
      }
    }
    const mean = new Float64Array(cells);
    for (let k = 0; k < cells; k++) mean[k] = count[k] > 0 ? sum[k] / count[k] : Number.NaN;
    return mean;
  };
  const inMean = branch(cycle.in);
  const outMean = branch(cycle.out);
  const x = new Float64Array(cells);
  const opening = new Float64Array(cells);
  for (let k = 0; k < cells; k++) {
    x[k] = lo + (k + 0.5) * options.step;
    opening[k] = inMean[k] - outMean[k];
  }
  const first = halves[0];
  const last = halves[halves.length - 1];
  const span_s = first !== undefined && last !== undefined ? last.endTime_s - first.startTime_s : 0;
  return { x, inMean, outMean, opening, step: options.step, basis: { samplesUsed: used, samplesExcluded: excluded, timeCovered_s: span_s, timeExcluded_s: 0 } };
}
