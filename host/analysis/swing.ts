import type { Basis } from "./basis.ts";

/**
 * Boxcar mean of a signal over `window_s` centred on each sample from `start` to `end`
 * (inclusive); NaN where the sample itself is unusable or no usable sample lies in the window.
 */
export function boxcarMeans(time_s: Float64Array, values: Float64Array, start: number, end: number, window_s: number, exclude?: Uint8Array): Float64Array {
  const out = new Float64Array(Math.max(0, end - start + 1)).fill(Number.NaN);
  let lo = start;
  let hi = start;
  let sum = 0;
  let count = 0;
  for (let i = start; i <= end; i++) {
    const t = time_s[i];
    while (hi <= end && time_s[hi] <= t + window_s / 2) {
      if (isUsable(values, exclude, hi)) {
        sum += values[hi];
        count++;
      }
      hi++;
    }
    while (lo < hi && time_s[lo] < t - window_s / 2) {
      if (isUsable(values, exclude, lo)) {
        sum -= values[lo];
        count--;
      }
      lo++;
    }
    if (isUsable(values, exclude, i) && count > 0) out[i - start] = sum / count;
  }
  return out;
}

/**
 * Peak-to-peak of a signal within a cycle after removing the straight line from its start value
 * (n0 at t0) to its end value (n1 at t1): what comes and goes within the cycle, as opposed to
 * what the cycle leaves behind. The signal is boxcar-averaged over `window_s` first.
 */
export function detrendedSwing(
  time_s: Float64Array,
  amount_mol: Float64Array,
  start: number,
  end: number,
  t0: number,
  n0: number,
  t1: number,
  n1: number,
  window_s: number,
  exclude?: Uint8Array,
): { max: number; min: number; basis: Basis } {
  const slope = t1 > t0 ? (n1 - n0) / (t1 - t0) : 0;
  const smooth = boxcarMeans(time_s, amount_mol, start, end, window_s, exclude);
  let max = 0;
  let min = 0;
  let used = 0;
  let excluded = 0;
  for (let i = start; i <= end; i++) {
    if (!isUsable(amount_mol, exclude, i)) {
      excluded++;
      continue;
    }
    used++;
    const value = smooth[i - start];
    if (Number.isNaN(value)) continue;
    const above = value - (n0 + slope * (time_s[i] - t0));
    if (above > max) max = above;
    if (above < min) min = above;
  }
  return { max, min, basis: { samplesUsed: used, samplesExcluded: excluded, timeCovered_s: t1 - t0, timeExcluded_s: 0 } };
}

/** Largest and smallest boxcar mean (over `window_s`) from `start` to `end`; NaN when nothing is usable. */
export function smoothedExtremes(time_s: Float64Array, values: Float64Array, start: number, end: number, window_s: number, exclude?: Uint8Array): { max: number; min: number } {
  const smooth = boxcarMeans(time_s, values, start, end, window_s, exclude);
  let max = -Infinity;
  let min = Infinity;
  for (const value of smooth) {
    if (Number.isNaN(value)) continue;
    if (value > max) max = value;
    if (value < min) min = value;
  }
  return Number.isFinite(max) ? { max, min } : { max: Number.NaN, min: Number.NaN };
}

function isUsable(values: Float64Array, exclude: Uint8Array | undefined, i: number): boolean {
  return (exclude === undefined || exclude[i] === 0) && Number.isFinite(values[i]);
}
