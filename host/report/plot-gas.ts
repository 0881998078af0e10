import type { CellAnalysis } from "../analysis/cell.ts";
import { renderChart, type Panel } from "./chart.ts";
import { colour } from "./palette.ts";

/** Gas evolved per cycle as bars (what stays, and what came and went), and the onset potential per cycle. Undefined without gas data. */
export function plotGasPerCycle(analysis: CellAnalysis, title: string): string | undefined {
  const gas = analysis.gas;
  if (gas === undefined) return undefined;
  const cycles = gas.cycles.map((c) => c.cycle);
  const panels: Panel[] = [
    {
      yLabel: "Gas per cycle (µmol)",
      yFromZero: true,
      series: [{ kind: "bar", label: "Irreversible (stays)", x: cycles, y: gas.cycles.map((c) => c.irreversible_mol * 1e6), colour: colour(0) }],
    },
  ];
  const onsets = gas.cycles.filter((c) => c.onset !== undefined);
  if (onsets.length > 0) {
    panels.push({
      yLabel: "Onset potential (V)",
      series: [{ kind: "line", label: "Gas onset", x: onsets.map((c) => c.cycle), y: onsets.map((c) => c.onset?.voltage_V ?? Number.NaN), colour: colour(1), markers: true }],
    });
  }
  return renderChart({ title, xLabel: "Cycle", panels, xIntegers: true, panelHeight_px: 200 });
}
