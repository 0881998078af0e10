import type { Basis } from "./basis.ts";

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
  let max = 0;
  let min = 0;
  let used = 0;
  let excluded = 0;
  let lo = start;
  let sum = 0;
  let count = 0;
  let hi = start;
  for (let i = start; i <= end; i++) {
    const t = time_s[i];
    while (hi <= end && time_s[hi] <= t + window_s / 2) {
      if (isUsable(amount_mol, exclude, hi)) {
        sum += amount_mol[hi];
        count++;
      }
      hi++;
    }
    while (lo < hi && time_s[lo] < t - window_s / 2) {
      if (isUsable(amount_mol, exclude, lo)) {
        sum -= amount_mol[lo];
        count--;
      }
      lo++;
    }
    if (!isUsable(amount_mol, exclude, i)) {
      excluded++;
      continue;
    }
    used++;
    if (count === 0) continue;
    const above = sum / count - (n0 + slope * (t - t0));
    if (above > max) max = above;
    if (above < min) min = above;
  }
  return { max, min, basis: { samplesUsed: used, samplesExcluded: excluded, timeCovered_s: t1 - t0, timeExcluded_s: 0 } };
}

function isUsable(values: Float64Array, exclude: Uint8Array | undefined, i: number): boolean {
  return (exclude === undefined || exclude[i] === 0) && Number.isFinite(values[i]);
}

