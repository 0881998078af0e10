import type { CellAnalysis } from "../analysis/cell.ts";
import { renderChart, type LineSeries } from "./chart.ts";
import { selectCycles } from "./cycle-selection.ts";
import { colour } from "./palette.ts";

/**
 * Stress-thickness against potential through each cycle: the branch that stores charge in the
 * electrode under test solid, the one that releases it dashed, each the mean on the analysis' voltage grid, so the loop's
 * opening reads directly. Undefined without stress data.
 */
export function plotStressLoops(analysis: CellAnalysis, title: string, storing: "charge" | "discharge"): string | undefined {
  const stress = analysis.stress;
  if (stress === undefined) return undefined;
  const inName = storing;
  const outName = storing === "discharge" ? "charge" : "discharge";
  const series: LineSeries[] = [];
  const byNumber = new Map(analysis.segmentation.cycles.map((cycle, k) => [cycle.number, stress.loopsVersusPotential[k]]));
  selectCycles(analysis.segmentation.cycles).forEach((cycle, k) => {
    const loop = byNumber.get(cycle.number);
    if (loop === undefined) return;
    series.push({ kind: "line", label: `Cycle ${cycle.number} ${inName}`, x: loop.x, y: loop.inMean, colour: colour(k) });
    series.push({ kind: "line", label: `Cycle ${cycle.number} ${outName}`, x: loop.x, y: loop.outMean, colour: colour(k), dash: "6 3" });
  });
  return renderChart({ title, xLabel: "Potential (V)", panels: [{ yLabel: "Stress-thickness (N/m)", series }], panelHeight_px: 380 });
}
