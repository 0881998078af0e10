import type { Basis } from "./basis.ts";
import { COULOMBS_PER_mAh } from "./constants.ts";
import { cumulativeTrapezoid, uncovered_s } from "./integrate.ts";
import { gaussianSmooth } from "./smoothing.ts";
import type { Direction, HalfCycle } from "./steps.ts";

export interface DqDvOptions {
  maxGap_s: number;
  exclude?: Uint8Array;
  /** Full width at half maximum of the Gaussian smoothing, V; default 0.01 V. */
  smoothingFwhm_V?: number;
  /** Spacing of the voltage grid, V; default a tenth of the smoothing width. */
  voltageStep_V?: number;
  /** Points of the uniform charge grid (interpolation method); default one per ten samples, 100 to 5000. */
  chargePoints?: number;
}

export interface DqDv {
  direction: Direction;
  /** Start of the half-cycle it describes, s. */
  startTime_s: number;
  method: "interpolate_invert" | "histogram";
  /** Centres of the voltage grid, V. */
  voltage_V: Float64Array;
  /** |dQ/dV| at those voltages after smoothing, mAh/V. */
  dQdV_mAh_per_V: Float64Array;
  smoothingFwhm_V: number;
  voltageStep_V: number;
  /** Spacing of the charge grid (interpolation method only), mAh. */
  chargeStep_mAh?: number;
  basis: Basis;
}

const DEFAULT_FWHM_V = 0.01;

/** What both methods start from: the smoothing and grid widths, and the half-cycle's (charge, voltage) pairs. */
function prepare(time_s: Float64Array, current_A: Float64Array, voltage_V: Float64Array, half: HalfCycle, options: DqDvOptions) {
  const fwhm_V = options.smoothingFwhm_V ?? DEFAULT_FWHM_V;
  const step_V = options.voltageStep_V ?? fwhm_V / 10;
  const pairs = chargeVoltagePairs(time_s, current_A, voltage_V, half, options);
  return { fwhm_V, step_V, pairs, count: pairs.charge_As.length };
}

/**
 * dQ/dV of one half-cycle by interpolation and inversion: V(Q) onto a uniform charge grid
 * (averaging samples within a grid cell), made monotonic by isotonic regression so it can be
 * inverted, Q(V) onto a uniform voltage grid, differentiated cell by cell, then smoothed.
 * Before smoothing, the result integrates to the half-cycle's charge within one charge-grid cell.
 */
export function dqdvInterpolated(
  time_s: Float64Array,
  current_A: Float64Array,
  voltage_V: Float64Array,
  half: HalfCycle,
  options: DqDvOptions,
): DqDv {
  const { fwhm_V, step_V, pairs, count } = prepare(time_s, current_A, voltage_V, half, options);
  const points = options.chargePoints ?? Math.min(5000, Math.max(100, Math.round(count / 10)));
  const total_As = count > 0 ? pairs.charge_As[count - 1] : 0;
  if (count < 2 || !(total_As > 0)) return emptyResult(half, "interpolate_invert", fwhm_V, step_V, pairs.basis);

  const dq_As = total_As / points;
  const gridV = binMeans(pairs.charge_As, pairs.voltage_V, points, dq_As);
  const sign = half.direction === "charge" ? 1 : -1;
  for (let j = 0; j < points; j++) gridV[j] *= sign;
  isotonicIncreasing(gridV);
  const gridQ = new Float64Array(points);
  for (let j = 0; j < points; j++) gridQ[j] = (j + 0.5) * dq_As;

  const vMin = gridV[0];
  const vMax = gridV[points - 1];
  const cells = Math.max(1, Math.ceil((vMax - vMin) / step_V));
  const edgesQ = new Float64Array(cells + 1);
  let k = 0;
  for (let e = 0; e <= cells; e++) {
    const v = vMin + e * step_V;
    while (k < points - 2 && gridV[k + 1] <= v) k++;
    const v0 = gridV[k];
    const v1 = gridV[k + 1];
    edgesQ[e] = v >= vMax ? gridQ[points - 1] : v1 > v0 ? gridQ[k] + ((gridQ[k + 1] - gridQ[k]) * (v - v0)) / (v1 - v0) : gridQ[k + 1];
  }
  const raw = new Float64Array(cells);
  for (let e = 0; e < cells; e++) raw[e] = (edgesQ[e + 1] - edgesQ[e]) / COULOMBS_PER_mAh / step_V;
  const centres = new Float64Array(cells);
  for (let e = 0; e < cells; e++) centres[e] = sign * (vMin + (e + 0.5) * step_V);
  return orient({
    direction: half.direction,
    startTime_s: half.startTime_s,
    method: "interpolate_invert",
    voltage_V: centres,
    dQdV_mAh_per_V: gaussianSmooth(raw, step_V, fwhm_V),
    smoothingFwhm_V: fwhm_V,
    voltageStep_V: step_V,
    chargeStep_mAh: dq_As / COULOMBS_PER_mAh,
    basis: pairs.basis,
  });
}

/** dQ/dV of one half-cycle as a histogram: each interval's charge goes to the voltage cell of its midpoint. */
export function dqdvHistogram(
  time_s: Float64Array,
  current_A: Float64Array,
  voltage_V: Float64Array,
  half: HalfCycle,
  options: DqDvOptions,
): DqDv {
  const { fwhm_V, step_V, pairs, count } = prepare(time_s, current_A, voltage_V, half, options);
  if (count < 2) return emptyResult(half, "histogram", fwhm_V, step_V, pairs.basis);
  let vMin = Infinity;
  let vMax = -Infinity;
  for (let i = 0; i < count; i++) {
    vMin = Math.min(vMin, pairs.voltage_V[i]);
    vMax = Math.max(vMax, pairs.voltage_V[i]);
  }
  const cells = Math.max(1, Math.ceil((vMax - vMin) / step_V));
  const raw = new Float64Array(cells);
  for (let i = 1; i < count; i++) {
    const dq_As = Math.abs(pairs.charge_As[i] - pairs.charge_As[i - 1]);
    const mid = 0.5 * (pairs.voltage_V[i] + pairs.voltage_V[i - 1]);
    const cell = Math.min(cells - 1, Math.floor((mid - vMin) / step_V));
    raw[cell] += dq_As / COULOMBS_PER_mAh / step_V;
  }
  const centres = new Float64Array(cells);
  for (let e = 0; e < cells; e++) centres[e] = vMin + (e + 0.5) * step_V;
  return {
    direction: half.direction,
    startTime_s: half.startTime_s,
    method: "histogram",
    voltage_V: centres,
    dQdV_mAh_per_V: gaussianSmooth(raw, step_V, fwhm_V),
    smoothingFwhm_V: fwhm_V,
    voltageStep_V: step_V,
    basis: pairs.basis,
  };
}

/** The voltage of the largest |dQ/dV|, V. */
export function peakVoltage_V(result: DqDv): number {
  let best = -1;
  let at = Number.NaN;
  result.dQdV_mAh_per_V.forEach((value, k) => {
    if (value > best) {
      best = value;
      at = result.voltage_V[k];
    }
  });
  return at;
}

interface Pairs {
  /** |∫ I dt| from the half-cycle's start at each usable sample, A·s (non-decreasing). */
  charge_As: Float64Array;
  voltage_V: Float64Array;
  basis: Basis;
}

function chargeVoltagePairs(
  time_s: Float64Array,
  current_A: Float64Array,
  voltage_V: Float64Array,
  half: HalfCycle,
  options: DqDvOptions,
): Pairs {
  const running = cumulativeTrapezoid(time_s, current_A, { start: half.start, end: half.end, maxGap_s: options.maxGap_s, exclude: options.exclude });
  const n = running.length;
  const charge = new Float64Array(n);
  const voltage = new Float64Array(n);
  let count = 0;
  let excluded = 0;
  let covered_s = 0;
  let previousTime = Number.NaN;
  let top = 0;
  for (let i = 0; i < n; i++) {
    const v = voltage_V[half.start + i];
    if (!Number.isFinite(running[i]) || !Number.isFinite(v)) {
      excluded++;
      continue;
    }
    const t = time_s[half.start + i];
    if (count > 0 && t - previousTime <= options.maxGap_s) covered_s += t - previousTime;
    previousTime = t;
    // A current that briefly reverses inside a half-cycle would make Q step back; Q(V) needs it monotonic.
    top = Math.max(top, Math.abs(running[i]));
    charge[count] = top;
    voltage[count] = v;
    count++;
  }
  const span_s = count > 0 ? half.endTime_s - half.startTime_s : 0;
  return {
    charge_As: charge.subarray(0, count),
    voltage_V: voltage.subarray(0, count),
    basis: { samplesUsed: count, samplesExcluded: excluded, timeCovered_s: covered_s, timeExcluded_s: uncovered_s(span_s, covered_s) },
  };
}

/** Mean of y in each of `cells` cells of x of width `width`; empty cells are interpolated from their neighbours. */
function binMeans(x: Float64Array, y: Float64Array, cells: number, width: number): Float64Array {
  const sum = new Float64Array(cells);
  const count = new Float64Array(cells);
  for (let i = 0; i < x.length; i++) {
    const cell = Math.min(cells - 1, Math.floor(x[i] / width));
    sum[cell] += y[i];
    count[cell]++;
  }
  const out = new Float64Array(cells).fill(Number.NaN);
  for (let j = 0; j < cells; j++) if (count[j] > 0) out[j] = sum[j] / count[j];
  let last = -1;
  for (let j = 0; j < cells; j++) {
    if (Number.isNaN(out[j])) continue;
    if (last < 0) for (let m = 0; m < j; m++) out[m] = out[j];
    else for (let m = last + 1; m < j; m++) out[m] = out[last] + ((out[j] - out[last]) * (m - last)) / (j - last);
    last = j;
  }
  for (let m = last + 1; m < cells; m++) out[m] = out[last];
  return out;
}

/** Pool-adjacent-violators: the least-squares non-decreasing fit, in place. */
function isotonicIncreasing(values: Float64Array): void {
  const n = values.length;
  const blockMean = new Float64Array(n);
  const blockSize = new Float64Array(n);
  let blocks = 0;
  for (let i = 0; i < n; i++) {
    blockMean[blocks] = values[i];
    blockSize[blocks] = 1;
    blocks++;
    while (blocks > 1 && blockMean[blocks - 2] > blockMean[blocks - 1]) {
      const size = blockSize[blocks - 2] + blockSize[blocks - 1];
      blockMean[blocks - 2] = (blockMean[blocks - 2] * blockSize[blocks - 2] + blockMean[blocks - 1] * blockSize[blocks - 1]) / size;
      blockSize[blocks - 2] = size;
      blocks--;
    }
  }
  let i = 0;
  for (let b = 0; b < blocks; b++) for (let m = 0; m < blockSize[b]; m++) values[i++] = blockMean[b];
}

/** Discharge results were computed on −V; put the grid back in increasing voltage. */
function orient(result: DqDv): DqDv {
  if (result.direction === "charge") return result;
  result.voltage_V.reverse();
  result.dQdV_mAh_per_V.reverse();
  return result;
}

function emptyResult(half: HalfCycle, method: DqDv["method"], fwhm_V: number, step_V: number, basis: Basis): DqDv {
  return { direction: half.direction, startTime_s: half.startTime_s, method, voltage_V: new Float64Array(0), dQdV_mAh_per_V: new Float64Array(0), smoothingFwhm_V: fwhm_V, voltageStep_V: step_V, basis };
}
