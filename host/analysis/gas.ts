import type { Basis } from "./basis.ts";
import { FARADAY_C_per_mol, GAS_CONSTANT_J_per_mol_K, ZERO_CELSIUS_K } from "./constants.ts";
import { integrateTrapezoid } from "./integrate.ts";
import { cycleStateOfCharge } from "./soc.ts";
import { meanOver, windowedSlope } from "./slope.ts";
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
  /** Endpoint values are means over this long a stretch, s. */
  endpointWindow_s: number;
  /** Gassing onset: first time ṅ exceeds this, mol/s. */
  onsetRate_mol_per_s: number;
  /** ... and stays above it this long, s. */
  onsetDuration_s: number;
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
  return cycles.map((cycle) => {
    const first = cycle.in ?? cycle.out;
    const last = cycle.out ?? cycle.in;
    if (first === undefined || last === undefined) throw new Error(`cycle ${cycle.number} has no half-cycle`);
    const start = first.start;
    const end = last.end;
    const t0 = time_s[start];
    const t1 = time_s[end];
    const w = options.endpointWindow_s;
    const n0 = meanOver(time_s, amount_mol, t0, t0 + w, options.exclude);
    const n1 = meanOver(time_s, amount_mol, t1 - w, t1, options.exclude);
    const swing = detrendedSwing(time_s, amount_mol, start, end, t0, n0, t1, n1, w, options.exclude);
    const result: CycleGas = {
      cycle: cycle.number,
      startTime_s: t0,
      endTime_s: t1,
      irreversible_mol: n1 - n0,
      reversible_mol: swing.max - swing.min,
      reversibleMax_mol: swing.max,
      basis: swing.basis,
    };
    const onset = findOnset(time_s, rate_mol_per_s, current_A, voltage_V, cycle, start, end, options);
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
  const soc = cycleStateOfCharge(time_s, current_A, cycle, options);
  return { time_s: time_s[above], voltage_V: voltage_V[above], stateOfCharge: soc.values[above - soc.start], rate_mol_per_s: rate_mol_per_s[above] };
}
