import { createHash } from "node:crypto";
import { describeRows, type BdfProblem } from "../bdf/problems.ts";
import type { BdfTable } from "../bdf/read.ts";
import { TIME_COLUMN } from "../bdf/units.ts";
import type { Birth, BirthChannel } from "../../protocol/schema/birth.ts";
import type { Data } from "../../protocol/schema/data.ts";
import { isId } from "../../protocol/schema/id.ts";
import type { SampleStore } from "../store/store.ts";

export interface ImportOptions {
  /** The cell's id: stored as a board of that name, rig `cycler`. */
  cell: string;
  /** Absolute time of test_time_second = 0, µs since the Unix epoch (for files without unix_time_second). */
  start_us?: number;
}

export interface ImportReport {
  cell: string;
  rows: number;
  rowsStored: number;
  /** Rows left out because a problem of severity "error" names them or their time is out of the protocol's range, each listed. */
  rowsExcluded: number[];
  channels: string[];
  problems: BdfProblem[];
  /** One line per problem, for the terminal. */
  messages: string[];
}

export const CYCLER_RIG = "cycler";
const UNIX_TIME_COLUMN = "unix_time_second";
const ROWS_PER_FRAME = 1000;

/**
 * Stores a cycler's BDF table as a pseudo-board named after the cell: one channel per BDF column
 * (the column name as channel id and quantity, the unit its suffix gives), raw = value. Rows that
 * an error names (e.g. the Neware export's test_time_second reading 0 mid-run) are left out and
 * listed, never stored with a wrong time; the report says which and why.
 */
export async function importBdf(store: SampleStore, table: BdfTable, options: ImportOptions): Promise<ImportReport> {
  if (!isId(options.cell)) throw new Error(`cell id "${options.cell}" must match [A-Za-z0-9_-]{1,32}`);
  const time = table.columns[TIME_COLUMN];
  if (time === undefined) throw new Error(`the BDF file has no ${TIME_COLUMN} column; the import needs it (columns: ${table.names.join(", ")})`);
  const unix = table.columns[UNIX_TIME_COLUMN];
  if (unix === undefined && options.start_us === undefined) {
    throw new Error(`the BDF file has no ${UNIX_TIME_COLUMN} column; give the test's start time (--start 2024-10-23T09:00:00Z)`);
  }
  const excluded = new Set<number>();
  for (const problem of table.problems) if (problem.severity === "error") for (const row of problem.rows) excluded.add(row);
  const names = table.names.filter((n) => n !== TIME_COLUMN && n !== UNIX_TIME_COLUMN && isId(n));
  const channels: BirthChannel[] = names.map((name) => ({
    id: name,
    quantity: name,
    unit: table.units[name] ?? "",
    sensor: "cycler",
    rate_hz: rateOf(time),
    every: 1,
    cal: { kind: "linear", gain: 1, offset: 0 },
  }));
  const t_us = (row: number) => (unix !== undefined ? Math.round(unix[row]! * 1e6) : options.start_us! + Math.round(time[row]! * 1e6));
  const kept: number[] = [];
  // a time before 1970 or past 2^53 µs is no time the protocol can carry: a corrupt cell or a wrong --start
  const outOfRange: number[] = [];
  for (let row = 0; row < table.rows; row++) {
    if (excluded.has(row + 1)) continue;
    const t = t_us(row);
    if (Number.isSafeInteger(t) && t >= 0) kept.push(row);
    else if (Number.isFinite(t)) outOfRange.push(row + 1);
  }
  const boot = bootOf(options.cell, table);
  const birth: Birth = {
    board: options.cell,
    boot,
    channels,
    clock: { source: "host", offset_us: 0 },
    fw: { version: "bdf-import", build: boot.toString(16) },
    profile: "bdf-import",
    rig: CYCLER_RIG,
    seq: 0,
    t: kept.length > 0 ? t_us(kept[0]!) : 0,
    tick_us: 1,
    v: 1,
  };
  await store.writeBirth(CYCLER_RIG, options.cell, birth);
  let rowsStored = 0;
  for (let start = 0, seq = 0; start < kept.length; start += ROWS_PER_FRAME, seq++) {
    const rows = kept.slice(start, start + ROWS_PER_FRAME);
    const times = Float64Array.from(rows, t_us);
    const frame: Data = { b: boot, c: [], p: 1, s: seq, t: times[0]!, v: 1 };
    const samples = names.flatMap((name) => {
      const column = table.columns[name]!;
      const finite = rows.filter((row) => Number.isFinite(column[row]!));
      if (finite.length === 0) return [];
      const values = Float64Array.from(finite, (row) => column[row]!);
      return [{ channel: name, t_us: Float64Array.from(finite, t_us), raw: values, value: values }];
    });
    await store.writeFrame(CYCLER_RIG, options.cell, frame, samples);
    rowsStored += times.length;
  }
  await store.flush();
  const rowsExcluded = [...excluded].filter((r) => r <= table.rows).sort((a, b) => a - b);
  const messages = table.problems.map((p) => `${p.severity}: ${p.message}`);
  if (rowsExcluded.length > 0) messages.push(`left out ${rowsExcluded.length} rows named by errors (${describeRows(rowsExcluded)}); fix the file and import again to store them`);
  if (outOfRange.length > 0) {
    messages.push(`left out ${outOfRange.length} rows whose time is before 1970 or beyond 2^53 µs (${describeRows(outOfRange)}); check their ${TIME_COLUMN}${unix === undefined ? " and --start" : ` and ${UNIX_TIME_COLUMN}`}`);
  }
  return { cell: options.cell, rows: table.rows, rowsStored, rowsExcluded: [...rowsExcluded, ...outOfRange].sort((a, b) => a - b), channels: names, problems: table.problems, messages };
}

/** The median rate of the time column, Hz; 1 Hz when it cannot be told. */
function rateOf(time: Float64Array): number {
  const steps: number[] = [];
  for (let i = 1; i < time.length && steps.length < 10_000; i++) {
    const dt = time[i]! - time[i - 1]!;
    if (dt > 0) steps.push(dt);
  }
  steps.sort((a, b) => a - b);
  const median = steps[Math.floor(steps.length / 2)];
  return median === undefined ? 1 : 1 / median;
}

/** The same file imported twice is the same boot, so its frames are stored once. */
function bootOf(cell: string, table: BdfTable): number {
  const hash = createHash("sha256").update(cell).update(table.names.join(",")).update(String(table.rows));
  for (const name of table.names) hash.update(new Uint8Array(table.columns[name]!.buffer, 0, Math.min(table.columns[name]!.byteLength, 8 * 64)));
  return hash.digest().readUInt32BE(0);
}
