import { rowsOfProblems, type BdfProblem, type BdfProblemKind } from "../bdf/problems.ts";
import type { BdfTable } from "../bdf/read.ts";
import { analyseCell, type CellAnalysis, type CellConfig } from "./cell.ts";
import { celsiusToKelvin } from "./gas.ts";
import type { Direction } from "./steps.ts";

/** Time problems whose rows cannot be placed in time and are therefore left out. */
const UNPLACEABLE: readonly BdfProblemKind[] = ["time_outlier", "time_backwards", "time_not_finite"];

export interface BdfAnalysisOptions {
  storing?: Direction;
  restThreshold_A?: number;
  minStepDuration_s?: number;
  maxGap_s?: number;
  activeMass_g?: number;
  /** Use the current's sign even when the file has a step_index column. */
  ignoreStepColumn?: boolean;
  dqdv?: CellConfig["dqdv"];
}

export interface BdfAnalysis {
  /** The importer's findings, unchanged. */
  problems: BdfProblem[];
  /** Rows left out because their time cannot be used (1-based data rows), and why. */
  excludedRows: { kind: BdfProblemKind; rows: number[] }[];
  config: CellConfig;
  analysis: CellAnalysis;
}

/**
 * Analyses an imported BDF table: rows whose time is out of order are excluded (and listed), steps
 * follow the cycler's step_index when present, and capacities are checked against the cycler's own
 * capacity counters when the file has them. Throws only when a required column is missing.
 */
export function analyseBdf(table: BdfTable, options: BdfAnalysisOptions = {}): BdfAnalysis {
  const time_s = required(table, "test_time_second");
  const current_A = required(table, "current_ampere");
  const voltage_V = required(table, "voltage_volt");
  const maxAbsCurrent_A = current_A.reduce((max, value) => (Number.isFinite(value) ? Math.max(max, Math.abs(value)) : max), 0);
  const config: CellConfig = {
    storing: options.storing ?? "charge",
    restThreshold_A: options.restThreshold_A ?? Math.max(1e-5, 1e-4 * maxAbsCurrent_A),
    minStepDuration_s: options.minStepDuration_s ?? 60,
    maxGap_s: options.maxGap_s ?? Math.max(60, 20 * medianInterval_s(time_s)),
    activeMass_g: options.activeMass_g,
    dqdv: options.dqdv ?? { method: "interpolate_invert" },
  };
  const flags: Record<string, Uint8Array> = {};
  const excludedRows: BdfAnalysis["excludedRows"] = [];
  for (const problem of table.problems) {
    if (!UNPLACEABLE.includes(problem.kind)) continue;
    flags[`bdf:${problem.kind}`] = rowsOfProblems([problem], table.rows, [problem.kind]);
    excludedRows.push({ kind: problem.kind, rows: problem.rows });
  }
  const temperature_degC = table.columns["surface_temperature_celsius"] ?? table.columns["temperature_t1_celsius"] ?? table.columns["ambient_temperature_celsius"];
  const analysis = analyseCell(
    {
      time_s,
      current_A,
      voltage_V,
      temperature_K: temperature_degC === undefined ? undefined : celsiusToKelvin(temperature_degC),
      stepIndex: options.ignoreStepColumn ? undefined : table.columns["step_index"],
      cycleCount: table.columns["cycle_count"],
      cyclerColumns: table.columns,
      flags,
    },
    config,
  );
  return { problems: table.problems, excludedRows, config, analysis };
}

function required(table: BdfTable, name: string): Float64Array {
  const column = table.columns[name];
  if (column === undefined) {
    throw new Error(`the BDF table has no "${name}" column (it has ${table.names.join(", ") || "no columns"}); it is needed for the analysis`);
  }
  return column;
}

function medianInterval_s(time_s: Float64Array): number {
  const intervals: number[] = [];
  for (let i = 1; i < time_s.length; i++) {
    const dt = time_s[i] - time_s[i - 1];
    if (dt > 0) intervals.push(dt);
  }
  if (intervals.length === 0) return 0;
  intervals.sort((a, b) => a - b);
  return intervals[intervals.length >> 1];
}
