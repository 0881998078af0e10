import { analyseCell } from "../analysis/cell.ts";
import { configForRig, type RigDescription } from "../analysis/rig-description.ts";
import { readStoreCell } from "../analysis/store-input.ts";
import { cycleTable } from "../report/cycle-table.ts";
import { reportFigures } from "../report/write-report.ts";
import type { SampleStore } from "../store/store.ts";

/** What the analysis view shows for one board. */
export interface CellAnalysisView {
  board: string;
  /** Host time the analysis was computed, ms since the Unix epoch. */
  computed_ms: number;
  /** Points on the common time base the analysis ran on. */
  points: number;
  step_s: number;
  /** Time of the first voltage sample: test time 0, µs since the Unix epoch. */
  origin_us: number;
  /** The per-cycle table with its BDF-style column names (units spelled in the names). */
  table: { columns: string[]; rows: (number | null)[][] };
  /** Start of each cycle, µs since the Unix epoch, for markers on the time plots. */
  cycles: { number: number; start_us: number; end_us: number }[];
  /** The report's figures, SVG text by name (versus-time, gas-per-cycle, stress-potential-loops, dqdv ...). */
  figures: Record<string, string>;
}

export interface CellAnalyser {
  /** The board's analysis, recomputed when newer samples exist and the last one is old enough (see cellAnalyser). */
  view(board: string): Promise<CellAnalysisView>;
  /** The latest analysis computed, if any, without computing. */
  cached(board: string): CellAnalysisView | undefined;
}

/** What the dashboard knows about a cell beyond its channels; without it the analysis has no gas or stress. */
export type DescribeCell = (board: string) => RigDescription | undefined;

interface Cached {
  view: CellAnalysisView;
  newest_us: number;
  took_ms: number;
}

/** A recomputation waits at least this many times as long as the last one took, so analysis takes at most a tenth of the store's time. */
const BUSY_FACTOR = 10;

/**
 * Runs the analysis of `cellrig analyze --store` on a board's stored samples. The whole run is
 * read each time, so the result is cached: a later request recomputes only when samples newer than
 * the cached ones exist and both `refresh_ms` and ten times the last computation's duration have
 * passed, which keeps pace with cycles of hours and keeps a run of weeks from occupying the store.
 */
export function cellAnalyser(store: SampleStore, describe: DescribeCell = () => undefined, refresh_ms = 30_000): CellAnalyser {
  const cache = new Map<string, Cached>();
  const running = new Map<string, Promise<CellAnalysisView>>();

  const compute = async (board: string, newest_us: number): Promise<CellAnalysisView> => {
    const started_ms = Date.now();
    const cell = await readStoreCell(store, board);
    const voltage = cell.channels.voltage!;
    const first = await store.samples({ board, channel: voltage, limit: 1 });
    const origin_us = first[0]!.t_us;
    const description = describe(board) ?? { storing: "charge" as const };
    const current = cell.series.current_A;
    let maxCurrent_A = 0;
    for (let i = 0; i < current.length; i++) if (Number.isFinite(current[i]) && Math.abs(current[i]!) > maxCurrent_A) maxCurrent_A = Math.abs(current[i]!);
    const config = configForRig(description, maxCurrent_A, cell.maxGap_s);
    const analysis = analyseCell(cell.series, config);
    const table = cycleTable(analysis);
    const view: CellAnalysisView = {
      board,
      computed_ms: Date.now(),
      points: cell.series.time_s.length,
      step_s: cell.step_s,
      origin_us,
      table: { columns: table.csvNames, rows: table.rows.map((row) => row.map((v) => (Number.isFinite(v) ? v : null))) },
      cycles: analysis.segmentation.cycles.map((cycle) => {
        const first = (cycle.in ?? cycle.out)!;
        const last = (cycle.out ?? cycle.in)!;
        return { number: cycle.number, start_us: origin_us + Math.round(first.startTime_s * 1e6), end_us: origin_us + Math.round(last.endTime_s * 1e6) };
      }),
      figures: reportFigures({ series: cell.series, analysis, table, name: board, storing: config.storing, maxGap_s: config.maxGap_s }),
    };
    cache.set(board, { view, newest_us, took_ms: Date.now() - started_ms });
    return view;
  };

  return {
    cached: (board) => cache.get(board)?.view,
    async view(board) {
      const pending = running.get(board);
      if (pending !== undefined) return pending;
      const channels = await store.channels(board);
      let newest_us = 0;
      for (const c of channels) newest_us = Math.max(newest_us, (await store.latest(board, c.id))?.t_us ?? 0);
      const cached = cache.get(board);
      if (cached !== undefined && (cached.newest_us === newest_us || Date.now() - cached.view.computed_ms < Math.max(refresh_ms, BUSY_FACTOR * cached.took_ms))) return cached.view;
      const work = compute(board, newest_us).finally(() => running.delete(board));
      running.set(board, work);
      return work;
    },
  };
}
