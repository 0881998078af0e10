import type { CellAnalysis } from "../analysis/cell.ts";
import { renderChart, type LineSeries } from "./chart.ts";
import { selectCycles } from "./cycle-selection.ts";
import { colour } from "./palette.ts";

/** dQ/dV against voltage for a selection of cycles, charge solid and discharge dashed (discharge plotted negative, as is usual). */
export function plotDqDv(analysis: CellAnalysis, title: string): string | undefined {
  const results = analysis.dqdv.filter((d) => d.method === "interpolate_invert" && d.voltage_V.length > 0);
  if (results.length === 0) return undefined;
  const selected = selectCycles(analysis.segmentation.cycles);
  const series: LineSeries[] = [];
  selected.forEach((cycle, k) => {
    for (const half of [cycle.in, cycle.out]) {
      const result = half === undefined ? undefined : results.find((d) => d.startTime_s === half.startTime_s);
      if (result === undefined) continue;
      const sign = result.direction === "discharge" ? -1 : 1;
      series.push({
        kind: "line",
        label: `Cycle ${cycle.number} ${result.direction}`,
        x: result.voltage_V,
        y: result.dQdV_mAh_per_V.map((v) => sign * v),
        colour: colour(k),
        dash: result.direction === "discharge" ? "6 3" : undefined,
      });
    }
  });
  const fwhm_mV = (results[0].smoothingFwhm_V * 1000).toFixed(0);
  return renderChart({ title: `${title} (Gaussian smoothing, ${fwhm_mV} mV FWHM)`, xLabel: "Voltage (V)", panels: [{ yLabel: "dQ/dV (mAh/V)", series }], panelHeight_px: 360 });
}
