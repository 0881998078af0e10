import type { Basis } from "./basis.ts";

export interface IntegrationRange {
  /** First and last sample index, inclusive. */
  start: number;
  end: number;
  /** Consecutive usable samples further apart than this are not integrated across, s. */
  maxGap_s: number;
  /** Nonzero samples are left out; the integral bridges them when the usable neighbours are close enough. */
  exclude?: Uint8Array;
}

export interface Integral {
  /** ∫ y dt by trapezoids between consecutive usable samples, [y]·s. */
  integral: number;
  basis: Basis;
}

/** Trapezoidal ∫ y dt over usable samples; gaps longer than `maxGap_s` and time going backwards are not integrated. */
export function integrateTrapezoid(time_s: Float64Array, y: Float64Array, range: IntegrationRange): Integral {
  return integrateProduct(time_s, y, undefined, range);
}

/** Trapezoidal ∫ a·b dt (e.g. V·I for energy), same rules as `integrateTrapezoid`. */
export function integrateProduct(
  time_s: Float64Array,
  a: Float64Array,
  b: Float64Array | undefined,
  range: IntegrationRange,
): Integral {
  const { start, end, maxGap_s, exclude } = range;
  let integral = 0;
  let used = 0;
  let excluded = 0;
  let covered_s = 0;
  let prev = -1;
  let prevValue = 0;
  let firstTime = Number.NaN;
  let lastTime = Number.NaN;
  for (let i = start; i <= end; i++) {
    const t = time_s[i];
    const value = b === undefined ? a[i] : a[i] * b[i];
    if ((exclude !== undefined && exclude[i] !== 0) || !Number.isFinite(value) || !Number.isFinite(t)) {
      excluded++;
      continue;
    }
    if (prev >= 0) {
      const dt = t - time_s[prev];
      if (dt < 0) {
        excluded++;
        continue;
      }
      if (dt <= maxGap_s) {
        integral += 0.5 * (value + prevValue) * dt;
        covered_s += dt;
      }
    } else {
      firstTime = t;
    }
    used++;
    prev = i;
    prevValue = value;
    lastTime = t;
  }
  const span_s = used > 0 ? lastTime - firstTime : 0;
  return {
    integral,
    basis: { samplesUsed: used, samplesExcluded: excluded, timeCovered_s: covered_s, timeExcluded_s: uncovered_s(span_s, covered_s) },
  };
}

/**
 * Running ∫ y dt from `start` (0 there), NaN at excluded samples; a gap beyond `maxGap_s`
 * adds nothing, so the running total holds its value across it.
 */
export function cumulativeTrapezoid(time_s: Float64Array, y: Float64Array, range: IntegrationRange): Float64Array {
  const { start, end, maxGap_s, exclude } = range;
  const out = new Float64Array(end - start + 1).fill(Number.NaN);
  let total = 0;
  let prev = -1;
  for (let i = start; i <= end; i++) {
    const t = time_s[i];
    const value = y[i];
    if ((exclude !== undefined && exclude[i] !== 0) || !Number.isFinite(value) || !Number.isFinite(t)) continue;
    if (prev >= 0) {
      const dt = t - time_s[prev];
      if (dt < 0) continue;
      if (dt <= maxGap_s) total += 0.5 * (value + y[prev]) * dt;
    }
    out[i - start] = total;
    prev = i;
  }
  return out;
}

/** Span minus covered time, with summation round-off (a millionth of the span) read as zero. */
export function uncovered_s(span_s: number, covered_s: number): number {
  const gap_s = span_s - covered_s;
  return gap_s > 1e-6 * span_s ? gap_s : 0;
}
