import type { Basis } from "./basis.ts";
import { cycleEdges } from "./cycle-edges.ts";
import type { Cycle, Step } from "./steps.ts";
import { detrendedSwing, smoothedExtremes } from "./swing.ts";

export interface Substrate {
  youngsModulus_Pa: number;
  poissonRatio: number;
  thickness_m: number;
}

/** Stoney: σ_f·h_f = E_s·h_s²·κ / (6·(1 − ν_s)); this is the factor multiplying κ, N. */
export function stoneyFactor_N(substrate: Substrate): number {
  return (substrate.youngsModulus_Pa * substrate.thickness_m ** 2) / (6 * (1 - substrate.poissonRatio));
}

/** Stress-thickness σ_f·h_f per sample from curvature, N/m. */
export function stressThicknessSeries_N_per_m(curvature_per_m: Float64Array, substrate: Substrate): Float64Array {
  const factor = stoneyFactor_N(substrate);
  const out = new Float64Array(curvature_per_m.length);
  for (let i = 0; i < out.length; i++) out[i] = factor * curvature_per_m[i];
  return out;
}

/** Film stress σ_f = (σ_f·h_f)/h_f, Pa. */
export function filmStress_Pa(stressThickness_N_per_m: number, filmThickness_m: number): number {
  return stressThickness_N_per_m / filmThickness_m;
}

export interface Baseline {
  value: number;
  basis: Basis;
}

/** Mean over the rest steps before the first current flows (the whole run's rests if it starts active). */
export function restBaseline(values: Float64Array, steps: readonly Step[], exclude?: Uint8Array): Baseline {
  const firstActive = steps.findIndex((s) => s.kind !== "rest");
  const leading = steps.slice(0, firstActive < 0 ? steps.length : firstActive);
  const rests = leading.length > 0 ? leading : steps.filter((s) => s.kind === "rest");
  let sum = 0;
  let used = 0;
  let excluded = 0;
  let covered_s = 0;
  for (const rest of rests) {
    covered_s += rest.endTime_s - rest.startTime_s;
    for (let i = rest.start; i <= rest.end; i++) {
      if ((exclude !== undefined && exclude[i] !== 0) || !Number.isFinite(values[i])) {
        excluded++;
        continue;
      }
      sum += values[i];
      used++;
    }
  }
  return { value: used > 0 ? sum / used : Number.NaN, basis: { samplesUsed: used, samplesExcluded: excluded, timeCovered_s: covered_s, timeExcluded_s: 0 } };
}

export interface ThermalCoefficient {
  /** d(signal)/dT from rest periods, [signal]/K. */
  coefficient_per_K: number;
  /** Rest periods that contributed (those with a temperature spread). */
  restPeriods: number;
  basis: Basis;
}

/**
 * Thermal coefficient of a signal fitted over rest periods, each rest with its own offset and one
 * shared slope (the within-rest least-squares estimator), so the state-of-charge level of each rest
 * and slow drift between rests do not bias it.
 */
export function fitThermalCoefficient(values: Float64Array, temperature_K: Float64Array, steps: readonly Step[], exclude?: Uint8Array): ThermalCoefficient {
  let sxx = 0;
  let sxy = 0;
  let used = 0;
  let excluded = 0;
  let covered_s = 0;
  let periods = 0;
  for (const rest of steps) {
    if (rest.kind !== "rest") continue;
    let count = 0;
    let sx = 0;
    let sy = 0;
    for (let i = rest.start; i <= rest.end; i++) {
      if (!usable(values, temperature_K, exclude, i)) continue;
      count++;
      sx += temperature_K[i];
      sy += values[i];
    }
    if (count < 3) {
      excluded += rest.end - rest.start + 1;
      continue;
    }
    const mx = sx / count;
    const my = sy / count;
    let restSxx = 0;
    for (let i = rest.start; i <= rest.end; i++) {
      if (!usable(values, temperature_K, exclude, i)) {
        excluded++;
        continue;
      }
      const dx = temperature_K[i] - mx;
      restSxx += dx * dx;
      sxy += dx * (values[i] - my);
    }
    sxx += restSxx;
    used += count;
    covered_s += rest.endTime_s - rest.startTime_s;
    if (restSxx > 0) periods++;
  }
  return {
    coefficient_per_K: sxx > 0 ? sxy / sxx : Number.NaN,
    restPeriods: periods,
    basis: { samplesUsed: used, samplesExcluded: excluded, timeCovered_s: covered_s, timeExcluded_s: 0 },
  };
}

/** values − coefficient·(T − T_ref), per sample. */
export function compensateTemperature(values: Float64Array, temperature_K: Float64Array, coefficient_per_K: number, reference_K: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < out.length; i++) out[i] = values[i] - coefficient_per_K * (temperature_K[i] - reference_K);
  return out;
}

export interface CycleStress {
  cycle: number;
  startTime_s: number;
  endTime_s: number;
  /** Peak-to-peak within the cycle after removing the start-to-end trend, N/m. */
  reversibleAmplitude_N_per_m: number;
  /** Value at the cycle's end − value at its start, N/m. */
  irreversibleDrift_N_per_m: number;
  /** Extremes relative to the start-to-end trend, N/m (compressive is negative). */
  maxAboveTrend_N_per_m: number;
  minBelowTrend_N_per_m: number;
  /** Largest and smallest value within the cycle (boxcar means over the endpoint window), N/m. */
  max_N_per_m: number;
  min_N_per_m: number;
  /** max − min: the whole swing, trend included, N/m. */
  amplitude_N_per_m: number;
  basis: Basis;
}

export function cycleStress(
  time_s: Float64Array,
  stressThickness_N_per_m: Float64Array,
  cycles: readonly Cycle[],
  options: { endpointWindow_s: number; exclude?: Uint8Array },
): CycleStress[] {
  const w = options.endpointWindow_s;
  return cycleEdges(time_s, stressThickness_N_per_m, cycles, w, options.exclude).map((edge, k) => {
    const { start, end, startTime_s: t0, endTime_s: t1, startValue: s0, endValue: s1 } = edge;
    const swing = detrendedSwing(time_s, stressThickness_N_per_m, start, end, t0, s0, t1, s1, w, options.exclude);
    const extremes = smoothedExtremes(time_s, stressThickness_N_per_m, start, end, w, options.exclude);
    return {
      cycle: cycles[k].number,
      startTime_s: t0,
      endTime_s: t1,
      reversibleAmplitude_N_per_m: swing.max - swing.min,
      irreversibleDrift_N_per_m: s1 - s0,
      maxAboveTrend_N_per_m: swing.max,
      minBelowTrend_N_per_m: swing.min,
      max_N_per_m: extremes.max,
      min_N_per_m: extremes.min,
      amplitude_N_per_m: extremes.max - extremes.min,
      basis: swing.basis,
    };
  });
}

function usable(values: Float64Array, temperature_K: Float64Array, exclude: Uint8Array | undefined, i: number): boolean {
  return (exclude === undefined || exclude[i] === 0) && Number.isFinite(values[i]) && Number.isFinite(temperature_K[i]);
}
