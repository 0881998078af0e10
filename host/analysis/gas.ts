import type { Basis } from "./basis.ts";
import { FARADAY_C_per_mol, GAS_CONSTANT_J_per_mol_K, ZERO_CELSIUS_K } from "./constants.ts";
import { cycleEdges } from "./cycle-edges.ts";
import { fitHinge } from "./hinge.ts";
import { integrateTrapezoid } from "./integrate.ts";
import { cycleStateOfCharge } from "./soc.ts";
import { lowerBound, meanOver, windowedSlope } from "./slope.ts";
import { detrendedSwing } from "./swing.ts";
import type { Cycle, Direction } from "./steps.ts";

/** Ideal gas n = P·V/(R·T), mol. */
export function gasAmount_mol(pressure_Pa: number, temperature_K: number, headspace_m3: number): number {
  return (pressure_Pa * headspace_m3) / (GAS_CONSTANT_J_per_mol_K * temperature_K);
}

/** The pressure rise that `amount_mol` of gas causes in a headspace at fixed temperature, Pa. */
export function pressureRise_Pa(amount_mol: number, temperature_K: number, headspace_m3: number): number {
  return (amount_mol * GAS_CONSTANT_J_per_mol_K * temperature_K) / headspace_m3;
}

/** Temperature-compensated gas evolved between two instants: Δn = (V/R)·(P₂/T₂ − P₁/T₁), mol. */
export function gasEvolved_mol(p1_Pa: number, t1_K: number, p2_Pa: number, t2_K: number, headspace_m3: number): number {
  return (headspace_m3 / GAS_CONSTANT_J_per_mol_K) * (p2_Pa / t2_K - p1_Pa / t1_K);
}

export function celsiusToKelvin(temperature_degC: Float64Array): Float64Array {
  const out = new Float64Array(temperature_degC.length);
  for (let i = 0; i < out.length; i++) out[i] = temperature_degC[i] + ZERO_CELSIUS_K;
  return out;
}

/** n(t) = P·V/(R·T) per sample, NaN where either input is unusable, mol. */
export function gasAmountSeries_mol(pressure_Pa: Float64Array, temperature_K: Float64Array, headspace_m3: number, exclude?: Uint8Array): Float64Array {
  const out = new Float64Array(pressure_Pa.length);
  const factor = headspace_m3 / GAS_CONSTANT_J_per_mol_K;
  for (let i = 0; i < out.length; i++) {
    out[i] = exclude !== undefined && exclude[i] !== 0 ? Number.NaN : (factor * pressure_Pa[i]) / temperature_K[i];
  }
  return out;
}

/**
 * Gas rate ṅ = d(P·V/(R·T))/dt = (V/(R·T))·(dP/dt − (P/T)·dT/dt), as the local least-squares
 * slope of n(t) over `window_s`; negative when gas is consumed, mol/s.
 */
export function gasRate_mol_per_s(time_s: Float64Array, amount_mol: Float64Array, window_s: number, exclude?: Uint8Array): Float64Array {
  return windowedSlope(time_s, amount_mol, window_s, { exclude });
}

export interface GasCycleOptions {
  /** Values at a cycle's start and end are means over this long a stretch of the rest beside it (cycle-edges.ts), s. */
  endpointWindow_s: number;
  /** Gassing onset: first time ṅ exceeds this, mol/s. */
  onsetRate_mol_per_s: number;
  /** ... and stays above it this long, s. */
  onsetDuration_s: number;
  /**
   * Window of the rate, s. When given, the onset is placed at the knot of a hinge fitted to n(t)
   * within a window either side of the first crossing: a centred rate crosses the threshold up to
   * half its window before the gas starts, and sooner still when breathing adds a slope below it.
   */
  rateWindow_s?: number;
  /** Current direction that stores charge in the electrode under test; state of charge counts from it. */
  storing: Direction;
  maxGap_s: number;
  exclude?: Uint8Array;
}

export interface GasOnset {
  time_s: number;
  voltage_V: number;
  /** Charge stored since the cycle began / the cycle's stored charge. */
  stateOfCharge: number;
  rate_mol_per_s: number;
}

export interface CycleGas {
  cycle: number;
  startTime_s: number;
  endTime_s: number;
  /** Gas that stays: n at the cycle's end − n at its start, mol. */
  irreversible_mol: number;
  /** Gas (or apparent gas from electrode breathing) that comes and goes within the cycle: peak-to-peak of n after removing the start-to-end trend, mol. */
  reversible_mol: number;
  /** Largest n above the start-to-end trend, mol. */
  reversibleMax_mol: number;
  onset?: GasOnset;
  basis: Basis;
}

export function cycleGas(
  time_s: Float64Array,
  amount_mol: Float64Array,
  rate_mol_per_s: Float64Array,
  current_A: Float64Array,
  voltage_V: Float64Array,
  cycles: readonly Cycle[],
  options: GasCycleOptions,
): CycleGas[] {
  const edges = cycleEdges(time_s, amount_mol, cycles, options.endpointWindow_s, options.exclude);
  return cycles.map((cycle, k) => {
    const { start, end, startTime_s: t0, endTime_s: t1, startValue: n0, endValue: n1 } = edges[k];
    const swing = detrendedSwing(time_s, amount_mol, start, end, t0, n0, t1, n1, options.endpointWindow_s, options.exclude);
    const result: CycleGas = {
      cycle: cycle.number,
      startTime_s: t0,
      endTime_s: t1,
      irreversible_mol: n1 - n0,
      reversible_mol: swing.max - swing.min,
      reversibleMax_mol: swing.max,
      basis: swing.basis,
    };
    const onset = findOnset(time_s, amount_mol, rate_mol_per_s, current_A, voltage_V, cycle, start, end, options);
    if (onset !== undefined) result.onset = onset;
    return result;
  });
}

export interface ElectronsPerMolecule {
  /** z = (∫ I dt / F) / Δn. */
  electronsPerMolecule: number;
  charge_As: number;
  electrons_mol: number;
  gas_mol: number;
  basis: Basis;
}

/** Electrons transferred per gas molecule evolved between two instants (endpoints averaged over `endpointWindow_s`). */
export function electronsPerMolecule(
  time_s: Float64Array,
  current_A: Float64Array,
  amount_mol: Float64Array,
  from_s: number,
  to_s: number,
  options: { endpointWindow_s: number; maxGap_s: number; exclude?: Uint8Array },
): ElectronsPerMolecule {
  let start = 0;
  while (start < time_s.length && !(time_s[start] >= from_s)) start++;
  let end = start;
  while (end + 1 < time_s.length && time_s[end + 1] <= to_s) end++;
  const charge = integrateTrapezoid(time_s, current_A, { start, end, maxGap_s: options.maxGap_s, exclude: options.exclude });
  const n0 = meanOver(time_s, amount_mol, from_s, from_s + options.endpointWindow_s, options.exclude);
  const n1 = meanOver(time_s, amount_mol, to_s - options.endpointWindow_s, to_s, options.exclude);
  const electrons_mol = Math.abs(charge.integral) / FARADAY_C_per_mol;
  const gas_mol = n1 - n0;
  return { electronsPerMolecule: electrons_mol / gas_mol, charge_As: charge.integral, electrons_mol, gas_mol, basis: charge.basis };
}

function findOnset(
  time_s: Float64Array,
  amount_mol: Float64Array,
  rate_mol_per_s: Float64Array,
  current_A: Float64Array,
  voltage_V: Float64Array,
  cycle: Cycle,
  start: number,
  end: number,
  options: GasCycleOptions,
): GasOnset | undefined {
  let above = -1;
  let sustained = false;
  for (let i = start; i <= end && !sustained; i++) {
    const rate = rate_mol_per_s[i];
    if (Number.isNaN(rate)) continue;
    if (rate > options.onsetRate_mol_per_s) {
      if (above < 0) above = i;
      sustained = time_s[i] - time_s[above] >= options.onsetDuration_s;
    } else {
      above = -1;
    }
  }
  if (!sustained) return undefined;
  const at = options.rateWindow_s === undefined ? above : refineOnset(time_s, amount_mol, above, start, end, options.rateWindow_s, options);
  const soc = cycleStateOfCharge(time_s, current_A, cycle, options);
  return { time_s: time_s[at], voltage_V: voltage_V[at], stateOfCharge: soc.values[at - soc.start], rate_mol_per_s: rate_mol_per_s[at] };
}

/**
 * The knot of the best hinge fitted to n(t) whose rate is below the threshold before the knot and
 * above it after; the crossing itself when there is none. The first fit spans one window before
 * the crossing and two after it (noise and breathing can bring the crossing a whole window early);
 * each further fit spans half as much around the latest knot, since a rate that bends soon after
 * it starts (a film that passivates) hides or pulls early the knot of a wide fit.
 */
function refineOnset(time_s: Float64Array, amount_mol: Float64Array, above: number, start: number, end: number, window_s: number, options: GasCycleOptions): number {
  const crosses = (before: number, after: number): boolean => before <= options.onsetRate_mol_per_s && after > options.onsetRate_mol_per_s;
  let knot = above;
  for (let pass = 0; pass < REFINE_PASSES; pass++) {
    const before_s = window_s / 2 ** pass;
    const t = time_s[knot];
    const from = Math.max(start, lowerBound(time_s, t - before_s));
    const to = Math.min(end, lowerBound(time_s, t + 2 * before_s + 1e-9 * window_s) - 1);
    const margin_s = (time_s[to] - time_s[from]) / 20;
    const range = { start: from, end: to, firstKnot: lowerBound(time_s, time_s[from] + margin_s), lastKnot: lowerBound(time_s, time_s[to] - margin_s), exclude: options.exclude };
    const hinge = fitHinge(time_s, amount_mol, range, crosses);
    if (hinge !== undefined) knot = hinge.knot;
  }
  return knot;
}

const REFINE_PASSES = 4;
