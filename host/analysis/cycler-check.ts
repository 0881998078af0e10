import { COULOMBS_PER_mAh, SECONDS_PER_HOUR } from "./constants.ts";
import type { HalfCycleCapacity } from "./capacity.ts";
import type { HalfCycle } from "./steps.ts";

/** A cycler's own capacity for a half-cycle beside the integrated one. */
export interface CyclerCapacityCheck {
  direction: HalfCycle["direction"];
  startTime_s: number;
  column: string;
  integrated_mAh: number;
  cycler_mAh: number;
  /** integrated − cycler, mAh. */
  difference_mAh: number;
  /** (integrated − cycler) / cycler × 100. */
  difference_percent: number;
}

/** BDF capacity columns (Ah), preferred first; both the long and the short BDF spellings are accepted. */
const CHARGE_COLUMNS = ["charging_capacity_ampere_hour", "charging_capacity_ah", "step_capacity_ampere_hour", "step_capacity_ah"];
const DISCHARGE_COLUMNS = ["discharging_capacity_ampere_hour", "discharging_capacity_ah", "step_capacity_ampere_hour", "step_capacity_ah"];

/**
 * Compares integrated half-cycle capacities with the cycler's capacity counter. The counter may
 * run from the start of the test (BDF's definition) or reset at each step or cycle: its increase over
 * the half-cycle is summed, a drop being read as a reset to zero. Returns [] without such a column.
 */
export function checkCyclerCapacity(
  columns: Record<string, Float64Array>,
  halves: readonly HalfCycle[],
  integrated: readonly HalfCycleCapacity[],
  exclude?: Uint8Array,
): CyclerCapacityCheck[] {
  const checks: CyclerCapacityCheck[] = [];
  halves.forEach((half, k) => {
    const names = half.direction === "charge" ? CHARGE_COLUMNS : DISCHARGE_COLUMNS;
    const column = names.find((name) => columns[name] !== undefined);
    if (column === undefined) return;
    const cycler_mAh = (counterIncrease(columns[column], half.start, half.end, exclude) * SECONDS_PER_HOUR) / COULOMBS_PER_mAh;
    const integrated_mAh = integrated[k].capacity_mAh;
    checks.push({
      direction: half.direction,
      startTime_s: half.startTime_s,
      column,
      integrated_mAh,
      cycler_mAh,
      difference_mAh: integrated_mAh - cycler_mAh,
      difference_percent: ((integrated_mAh - cycler_mAh) / cycler_mAh) * 100,
    });
  });
  return checks;
}

function counterIncrease(counter: Float64Array, start: number, end: number, exclude?: Uint8Array): number {
  let previous = 0;
  for (let i = start - 1; i >= 0; i--) {
    if ((exclude === undefined || exclude[i] === 0) && Number.isFinite(counter[i])) {
      previous = Math.abs(counter[i]);
      break;
    }
  }
  let total = 0;
  for (let i = start; i <= end; i++) {
    if ((exclude !== undefined && exclude[i] !== 0) || !Number.isFinite(counter[i])) continue;
    const value = Math.abs(counter[i]);
    total += value >= previous ? value - previous : value;
    previous = value;
  }
  return total;
}
