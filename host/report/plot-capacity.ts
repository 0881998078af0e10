import type { CellAnalysis, CellSeries } from "../analysis/cell.ts";
import { COULOMBS_PER_mAh } from "../analysis/constants.ts";
import { cumulativeTrapezoid } from "../analysis/integrate.ts";
import type { HalfCycle } from "../analysis/steps.ts";
import { renderChart, type LineSeries, type Panel } from "./chart.ts";
import { selectCycles } from "./cycle-selection.ts";
import { colour } from "./palette.ts";

/**
 * Voltage (and stress-thickness) against the charge passed since each half-cycle began, one
 * colour per cycle, solid while charging and dashed while discharging.
 */
export function plotVersusCapacity(series: CellSeries, analysis: CellAnalysis, title: string, maxGap_s: number): string {
  const voltage: LineSeries[] = [];
  const stress: LineSeries[] = [];
  selectCycles(analysis.segmentation.cycles).forEach((cycle, k) => {
    for (const half of [cycle.in, cycle.out]) {
      if (half === undefined) continue;
      const capacity = halfCapacity_mAh(series, half, maxGap_s);
      const style = { colour: colour(k), dash: half.direction === "discharge" ? "6 3" : undefined };
      const label = `Cycle ${cycle.number} ${half.direction}`;
      voltage.push({ kind: "line", label, x: capacity, y: series.voltage_V.subarray(half.start, half.end + 1), ...style });
      if (analysis.stress !== undefined) {
        stress.push({ kind: "line", label, x: capacity, y: analysis.stress.stressThickness_N_per_m.subarray(half.start, half.end + 1), ...style });
      }
    }
  });
  const panels: Panel[] = [{ yLabel: "Voltage (V)", series: voltage }];
  if (stress.length > 0) panels.push({ yLabel: "Stress-thickness (N/m)", series: stress, legend: false });
  return renderChart({ title, xLabel: "Capacity (mAh)", panels });
}

/** |∫ I dt| from the half-cycle's start at each of its samples, mAh. */
export function halfCapacity_mAh(series: CellSeries, half: HalfCycle, maxGap_s: number): Float64Array {
  const running = cumulativeTrapezoid(series.time_s, series.current_A, { start: half.start, end: half.end, maxGap_s });
  return running.map((q) => Math.abs(q) / COULOMBS_PER_mAh);
}
