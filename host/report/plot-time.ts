import type { CellAnalysis, CellSeries } from "../analysis/cell.ts";
import { renderChart, type Panel } from "./chart.ts";
import { colour } from "./palette.ts";
import { timeUnit } from "./time-axis.ts";

/** Voltage and, where measured, stress-thickness and gas against time over the whole run. */
export function plotVersusTime(series: CellSeries, analysis: CellAnalysis, title: string): string {
  const { time_s } = series;
  const unit = timeUnit(time_s[time_s.length - 1] - time_s[0]);
  const t = time_s.map((value) => (value - time_s[0]) * unit.per_s);
  const panels: Panel[] = [{ yLabel: "Voltage (V)", series: [{ kind: "line", label: "Voltage", x: t, y: series.voltage_V, colour: colour(0) }] }];
  if (analysis.stress !== undefined) {
    panels.push({ yLabel: "Stress-thickness (N/m)", series: [{ kind: "line", label: "σ·h", x: t, y: analysis.stress.stressThickness_N_per_m, colour: colour(1) }] });
  }
  if (analysis.gas !== undefined) {
    const amount = analysis.gas.amount_mol;
    const start = amount.find(Number.isFinite) ?? 0;
    panels.push({ yLabel: "Gas evolved (µmol)", series: [{ kind: "line", label: "Δn", x: t, y: amount.map((n) => (n - start) * 1e6), colour: colour(2) }] });
  }
  return renderChart({ title, xLabel: unit.label, panels, panelHeight_px: panels.length > 2 ? 180 : 220 });
}
