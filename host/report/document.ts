import type { BdfProblem, BdfProblemKind } from "../bdf/problems.ts";
import type { CellAnalysis, CellConfig } from "../analysis/cell.ts";
import type { CycleTable } from "./cycle-table.ts";

/** What the analysis rests on besides the cell's own data: the importer's findings and rows left out. */
export interface ReportInput {
  source: string;
  config: CellConfig;
  analysis: CellAnalysis;
  table: CycleTable;
  problems?: readonly BdfProblem[];
  excludedRows?: readonly { kind: BdfProblemKind; rows: number[] }[];
}

/** Rows listed in the document per finding; the count is always complete. */
const ROWS_SHOWN = 20;

/**
 * The `--json` document: `cycles` (the per-cycle table with the names), `gas`, `stress`
 * (null when not measured) and `quality` (samples, exclusions, the importer's findings with their
 * row counts, how cycles were found, cycler capacities beside integrated ones). Non-finite
 * numbers become null, as JSON has no NaN.
 */
export function reportDocument(input: ReportInput): object {
  const { analysis, table } = input;
  const cycles = table.rows.map((row) => Object.fromEntries(table.jsonNames.map((name, k) => [name, finite(row[k])])));
  const gas = analysis.gas;
  const stress = analysis.stress;
  return {
    source: input.source,
    cycles,
    gas:
      gas === undefined || input.config.gas === undefined
        ? null
        : {
            headspace_m3: input.config.gas.headspace_m3,
            total_mol: finite(gas.total_mol),
            onset_threshold_mol_per_s: input.config.gas.onsetRate_mol_per_s,
            rate_window_s: input.config.gas.rateWindow_s,
          },
    stress:
      stress === undefined
        ? null
        : {
            stoney_factor_n: stress.stoneyFactor_N,
            baseline_n_per_m: finite(stress.baseline.value),
            thermal_coefficient_n_per_m_per_k: stress.thermal === undefined ? null : finite(stress.thermal.coefficient_per_K),
            thermal_rest_periods: stress.thermal?.restPeriods ?? 0,
            optical_excluded_samples: stress.opticalExcluded,
          },
    quality: {
      samples: analysis.quality.samples,
      excluded_samples: analysis.quality.excludedTotal,
      excluded_by_reason: analysis.quality.excluded,
      cycle_source: analysis.segmentation.source,
      steps: analysis.segmentation.steps.length,
      half_cycles: analysis.segmentation.halfCycles.length,
      problems: (input.problems ?? []).map((p) => ({ kind: p.kind, severity: p.severity, column: p.column ?? null, row_count: p.rows.length, rows: p.rows.slice(0, ROWS_SHOWN), message: p.message })),
      excluded_rows: (input.excludedRows ?? []).map((e) => ({ kind: e.kind, row_count: e.rows.length, rows: e.rows.slice(0, ROWS_SHOWN) })),
      cycler_capacity_check: analysis.cyclerCheck.map((c) => ({
        direction: c.direction,
        start_time_s: c.startTime_s,
        column: c.column,
        integrated_ah: c.integrated_mAh / 1000,
        cycler_ah: c.cycler_mAh / 1000,
        difference_percent: finite(c.difference_percent),
      })),
      dqdv_smoothing_fwhm_v: analysis.dqdv[0]?.smoothingFwhm_V ?? null,
    },
  };
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
