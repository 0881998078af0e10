import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CellAnalysis, CellSeries } from "../analysis/cell.ts";
import { cycleTableCsv, type CycleTable } from "./cycle-table.ts";
import { plotVersusCapacity } from "./plot-capacity.ts";
import { plotDqDv } from "./plot-dqdv.ts";
import { plotGasPerCycle } from "./plot-gas.ts";
import { plotStressLoops } from "./plot-loops.ts";
import { plotVersusTime } from "./plot-time.ts";
import { svgToPng } from "./png.ts";

export interface ReportFigures {
  series: CellSeries;
  analysis: CellAnalysis;
  table: CycleTable;
  /** Name of the cell or file, for figure titles. */
  name: string;
  storing: "charge" | "discharge";
  maxGap_s: number;
}

/** The figures a report has for this cell, by file stem; kinds without data are left out. */
export function reportFigures(input: ReportFigures): Record<string, string> {
  const { series, analysis, name } = input;
  const figures: Record<string, string | undefined> = {
    "versus-time": plotVersusTime(series, analysis, `${name}: voltage${analysis.stress ? " and stress-thickness" : ""} versus time`),
    "versus-capacity": plotVersusCapacity(series, analysis, `${name}: voltage${analysis.stress ? " and stress-thickness" : ""} versus capacity`, input.maxGap_s),
    "stress-potential-loops": plotStressLoops(analysis, `${name}: stress-thickness versus potential`, input.storing),
    "gas-per-cycle": plotGasPerCycle(analysis, `${name}: gas per cycle`),
    "dqdv": plotDqDv(analysis, `${name}: differential capacity`),
  };
  const out: Record<string, string> = {};
  for (const [stem, svg] of Object.entries(figures)) if (svg !== undefined) out[stem] = svg;
  return out;
}

/** Writes cycles.csv and every figure as SVG and PNG into `dir` (created if needed); returns the paths written. */
export function writeReport(dir: string, input: ReportFigures, progress: (line: string) => void = () => {}): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const csv = join(dir, "cycles.csv");
  writeFileSync(csv, cycleTableCsv(input.table));
  written.push(csv);
  for (const [stem, svg] of Object.entries(reportFigures(input))) {
    progress(`plotting ${stem}`);
    const svgPath = join(dir, `${stem}.svg`);
    const pngPath = join(dir, `${stem}.png`);
    writeFileSync(svgPath, svg);
    writeFileSync(pngPath, svgToPng(svg));
    written.push(svgPath, pngPath);
  }
  return written;
}
