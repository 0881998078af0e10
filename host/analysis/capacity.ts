import type { Basis } from "./basis.ts";
import { COULOMBS_PER_mAh, JOULES_PER_Wh } from "./constants.ts";
import { integrateProduct, integrateTrapezoid } from "./integrate.ts";
import type { Cycle, Direction, HalfCycle } from "./steps.ts";

export interface CapacityOptions {
  /** Consecutive usable samples further apart than this are not integrated across, s. */
  maxGap_s: number;
  exclude?: Uint8Array;
  /** Active mass of the electrode under test, g, for specific capacity. */
  activeMass_g?: number;
  /** Electrode area, cm², for areal capacity. */
  electrodeArea_cm2?: number;
}

export interface HalfCycleCapacity {
  direction: Direction;
  startTime_s: number;
  endTime_s: number;
  /** |∫ I dt|, A·s. */
  charge_As: number;
  capacity_mAh: number;
  specificCapacity_mAh_per_g?: number;
  arealCapacity_mAh_per_cm2?: number;
  /** |∫ V·I dt|, Wh. */
  energy_Wh: number;
  /** Charge-weighted mean voltage E/Q, V. */
  meanVoltage_V: number;
  basis: Basis;
}

export interface CycleCapacity {
  cycle: number;
  cyclerCycle?: number;
  in?: HalfCycleCapacity;
  out?: HalfCycleCapacity;
  /** Q_out / Q_in; NaN when the cycle lacks a half. */
  coulombicEfficiency: number;
  coulombicEfficiency_percent: number;
  /** Product of the per-cycle efficiencies so far: the fraction of charge a cell keeps over this many cycles. */
  cumulativeCoulombicEfficiency: number;
  /** E_out / E_in. */
  energyEfficiency: number;
  /** Q_out of this cycle / Q_out of the reference cycle. */
  retention: number;
  /** Mean charge voltage − mean discharge voltage, V. */
  hysteresis_V: number;
}

export function halfCycleCapacity(
  time_s: Float64Array,
  current_A: Float64Array,
  voltage_V: Float64Array,
  half: HalfCycle,
  options: CapacityOptions,
): HalfCycleCapacity {
  const range = { start: half.start, end: half.end, maxGap_s: options.maxGap_s, exclude: options.exclude };
  const charge = integrateTrapezoid(time_s, current_A, range);
  const energy = integrateProduct(time_s, current_A, voltage_V, range);
  const charge_As = Math.abs(charge.integral);
  const capacity_mAh = charge_As / COULOMBS_PER_mAh;
  const energy_J = Math.abs(energy.integral);
  const result: HalfCycleCapacity = {
    direction: half.direction,
    startTime_s: half.startTime_s,
    endTime_s: half.endTime_s,
    charge_As,
    capacity_mAh,
    energy_Wh: energy_J / JOULES_PER_Wh,
    meanVoltage_V: charge_As > 0 ? energy_J / charge_As : Number.NaN,
    basis: charge.basis,
  };
  if (options.activeMass_g !== undefined) result.specificCapacity_mAh_per_g = capacity_mAh / options.activeMass_g;
  if (options.electrodeArea_cm2 !== undefined) result.arealCapacity_mAh_per_cm2 = capacity_mAh / options.electrodeArea_cm2;
  return result;
}

export interface CycleCapacityOptions extends CapacityOptions {
  /** The cycle whose Q_out is 100 % retention; default the first cycle with both halves. */
  referenceCycle?: number;
}

export function cycleCapacities(
  time_s: Float64Array,
  current_A: Float64Array,
  voltage_V: Float64Array,
  cycles: readonly Cycle[],
  options: CycleCapacityOptions,
): CycleCapacity[] {
  const results = cycles.map((cycle) => {
    const inHalf = cycle.in === undefined ? undefined : halfCycleCapacity(time_s, current_A, voltage_V, cycle.in, options);
    const outHalf = cycle.out === undefined ? undefined : halfCycleCapacity(time_s, current_A, voltage_V, cycle.out, options);
    const ce = inHalf !== undefined && outHalf !== undefined ? outHalf.charge_As / inHalf.charge_As : Number.NaN;
    const charge = [inHalf, outHalf].find((h) => h?.direction === "charge");
    const discharge = [inHalf, outHalf].find((h) => h?.direction === "discharge");
    const result: CycleCapacity = {
      cycle: cycle.number,
      in: inHalf,
      out: outHalf,
      coulombicEfficiency: ce,
      coulombicEfficiency_percent: ce * 100,
      cumulativeCoulombicEfficiency: Number.NaN,
      energyEfficiency: inHalf !== undefined && outHalf !== undefined ? outHalf.energy_Wh / inHalf.energy_Wh : Number.NaN,
      retention: Number.NaN,
      hysteresis_V: charge !== undefined && discharge !== undefined ? charge.meanVoltage_V - discharge.meanVoltage_V : Number.NaN,
    };
    if (cycle.cyclerCycle !== undefined) result.cyclerCycle = cycle.cyclerCycle;
    return result;
  });
  let product = 1;
  for (const result of results) {
    if (Number.isFinite(result.coulombicEfficiency)) product *= result.coulombicEfficiency;
    result.cumulativeCoulombicEfficiency = Number.isFinite(result.coulombicEfficiency) ? product : Number.NaN;
  }
  const reference =
    options.referenceCycle !== undefined
      ? results.find((r) => r.cycle === options.referenceCycle)
      : results.find((r) => r.in !== undefined && r.out !== undefined);
  const reference_As = reference?.out?.charge_As;
  if (reference_As !== undefined && reference_As > 0) {
    for (const result of results) if (result.out !== undefined) result.retention = result.out.charge_As / reference_As;
  }
  return results;
}
