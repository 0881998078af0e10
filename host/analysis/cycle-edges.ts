import { lowerBound } from "./slope.ts";
import type { Cycle } from "./steps.ts";

export interface CycleEdge {
  /** Index of the cycle's first and last sample. */
  start: number;
  end: number;
  startTime_s: number;
  endTime_s: number;
  /** The signal's value at the start and at the end. */
  startValue: number;
  endValue: number;
}

/**
 * A signal's value where each cycle begins and ends. Gas and stress stand still while no current
 * flows, so the value is the mean over the rest just outside the cycle (up to `window_s` of it,
 * never reaching into the neighbouring cycle): a window inside the cycle would average in what
 * the cycle has already changed. Only where the run has no rest there (it starts or ends with
 * the cycle) is the mean taken inside, over a tenth of the window.
 */
export function cycleEdges(time_s: Float64Array, values: Float64Array, cycles: readonly Cycle[], window_s: number, exclude?: Uint8Array): CycleEdge[] {
  const bounds = cycles.map((cycle) => {
    const first = cycle.in ?? cycle.out;
    const last = cycle.out ?? cycle.in;
    if (first === undefined || last === undefined) throw new Error(`cycle ${cycle.number} has no half-cycle`);
    return { start: first.start, end: last.end };
  });
  const inside_s = window_s / 10;
  const n = time_s.length;
  return bounds.map(({ start, end }, k) => {
    const t0 = time_s[start];
    const t1 = time_s[end];
    const previousEnd_s = k > 0 ? time_s[bounds[k - 1].end] : time_s[0];
    const nextStart_s = k + 1 < bounds.length ? time_s[bounds[k + 1].start] : time_s[n - 1];
    const before = windowMean(time_s, values, Math.max(previousEnd_s, t0 - window_s), t0, inside_s, exclude);
    const after = windowMean(time_s, values, t1, Math.min(nextStart_s, t1 + window_s), inside_s, exclude);
    return {
      start,
      end,
      startTime_s: t0,
      endTime_s: t1,
      startValue: before ?? windowMean(time_s, values, t0, t0 + inside_s, 0, exclude) ?? Number.NaN,
      endValue: after ?? windowMean(time_s, values, t1 - inside_s, t1, 0, exclude) ?? Number.NaN,
    };
  });
}

/** Mean over [from_s, to_s] when that stretch is at least `minSpan_s` long and holds usable samples. */
function windowMean(time_s: Float64Array, values: Float64Array, from_s: number, to_s: number, minSpan_s: number, exclude?: Uint8Array): number | undefined {
  if (!(to_s - from_s >= minSpan_s)) return undefined;
  let sum = 0;
  let count = 0;
  for (let i = lowerBound(time_s, from_s); i < time_s.length && time_s[i] <= to_s; i++) {
    if ((exclude !== undefined && exclude[i] !== 0) || !Number.isFinite(values[i])) continue;
    sum += values[i];
    count++;
  }
  return count > 0 ? sum / count : undefined;
}
