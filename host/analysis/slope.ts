/**
 * Local least-squares slope dy/dt over a centred window of usable samples, per sample, in O(n):
 * window sums are updated as samples enter and leave, relative to a reference time and value that
 * are reset (and the sums recomputed exactly) whenever the window has moved by its own length, so
 * long runs (10⁶ s and more) lose no precision. Time must not decrease. NaN where the window
 * holds fewer than `minSamples`.
 */
export function windowedSlope(
  time_s: Float64Array,
  y: Float64Array,
  window_s: number,
  options: { exclude?: Uint8Array; minSamples?: number } = {},
): Float64Array {
  const n = time_s.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const minSamples = Math.max(2, options.minSamples ?? 3);
  const half_s = window_s / 2;
  const exclude = options.exclude;
  const usable = (i: number): boolean => (exclude === undefined || exclude[i] === 0) && Number.isFinite(y[i]) && Number.isFinite(time_s[i]);
  let lo = 0;
  let hi = 0;
  let refT = Number.NaN;
  let refY = 0;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let sy = 0;
  let sty = 0;
  const add = (j: number, sign: number): void => {
    const dt = time_s[j] - refT;
    const dy = y[j] - refY;
    s0 += sign;
    s1 += sign * dt;
    s2 += sign * dt * dt;
    sy += sign * dy;
    sty += sign * dt * dy;
  };
  for (let i = 0; i < n; i++) {
    if (!usable(i)) continue;
    const centre = time_s[i];
    if (!(Math.abs(centre - refT) <= window_s)) {
      // Re-base: new reference at this centre, sums rebuilt from the samples now in the window.
      refT = centre;
      refY = y[i];
      s0 = s1 = s2 = sy = sty = 0;
      while (lo < n && !(time_s[lo] >= centre - half_s)) lo++;
      hi = lo;
      while (hi < n && !(time_s[hi] > centre + half_s)) {
        if (usable(hi)) add(hi, 1);
        hi++;
      }
    } else {
      while (hi < n && !(time_s[hi] > centre + half_s)) {
        if (usable(hi)) add(hi, 1);
        hi++;
      }
      while (lo < hi && !(time_s[lo] >= centre - half_s)) {
        if (usable(lo)) add(lo, -1);
        lo++;
      }
    }
    if (s0 < minSamples) continue;
    const stt = s2 - (s1 * s1) / s0;
    if (stt > 0) out[i] = (sty - (s1 * sy) / s0) / stt;
  }
  return out;
}

/** Mean of the usable samples of y with time in [from_s, to_s]; NaN when there are none. */
export function meanOver(time_s: Float64Array, y: Float64Array, from_s: number, to_s: number, exclude?: Uint8Array): number {
  let sum = 0;
  let count = 0;
  for (let i = lowerBound(time_s, from_s); i < time_s.length && time_s[i] <= to_s; i++) {
    if ((exclude !== undefined && exclude[i] !== 0) || !Number.isFinite(y[i])) continue;
    sum += y[i];
    count++;
  }
  return count > 0 ? sum / count : Number.NaN;
}

/** First index with time ≥ t in a non-decreasing time array. */
export function lowerBound(time_s: Float64Array, t: number): number {
  let lo = 0;
  let hi = time_s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time_s[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
