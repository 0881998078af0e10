import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import type { Cell, CellConstants } from "./cell.ts";
import type { CellState } from "./cell-state.ts";
import type { CycleSummary } from "./cycle-ledger.ts";
import { groundTruthColumns, type GroundTruthColumn } from "./ground-truth-columns.ts";
import type { Preset } from "./preset-schema.ts";

/** Written once at the start: what was simulated and what the columns mean. */
export interface GroundTruthMeta {
  preset: Preset;
  constants: CellConstants;
  columns: { name: string; unit: string }[];
}

/** Bytes of CSV held before they are written out, so a week-long run needs no more memory than a minute. */
const FLUSH_CHARS = 1 << 20;

/**
 * Streams a cell's true state, every step, to `<base>.csv` (BDF-style columns, numbers in their
 * shortest exact form so they read back bit for bit), each finished cycle's true figures as a
 * line of `<base>.cycles.jsonl`, and the preset and constants to `<base>.json`. Attach before the
 * cell steps; `close()` writes the cycle still running (marked incomplete) and closes the files.
 */
export class GroundTruthWriter {
  private readonly columns: GroundTruthColumn[];
  private readonly csv: number;
  private readonly cycles: number;
  private buffer = "";
  private readonly detach: (() => void)[];
  private closed = false;

  constructor(
    private readonly cell: Cell,
    readonly basePath: string,
  ) {
    this.columns = groundTruthColumns(cell.has);
    const meta: GroundTruthMeta = {
      preset: cell.preset,
      constants: cell.constants,
      columns: this.columns.map((c) => ({ name: c.name, unit: c.unit })),
    };
    writeFileSync(`${basePath}.json`, JSON.stringify(meta, null, 2) + "\n");
    this.csv = openSync(`${basePath}.csv`, "w");
    this.cycles = openSync(`${basePath}.cycles.jsonl`, "w");
    this.buffer = this.columns.map((c) => c.name).join(",") + "\n";
    this.row(cell.state);
    this.detach = [cell.onStep((s) => this.row(s)), cell.onCycle((c) => this.cycle(c))];
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const stop of this.detach) stop();
    const running = this.cell.runningCycle();
    if (running) this.cycle(running);
    this.flush();
    closeSync(this.csv);
    closeSync(this.cycles);
  }

  private row(s: Readonly<CellState>): void {
    const cols = this.columns;
    let line = String(cols[0]!.value(s));
    for (let i = 1; i < cols.length; i++) line += "," + String(cols[i]!.value(s));
    this.buffer += line + "\n";
    if (this.buffer.length >= FLUSH_CHARS) this.flush();
  }

  private cycle(summary: CycleSummary): void {
    writeSync(this.cycles, JSON.stringify(summary) + "\n");
  }

  private flush(): void {
    if (this.buffer.length > 0) writeSync(this.csv, this.buffer);
    this.buffer = "";
  }
}

export interface GroundTruth {
  meta: GroundTruthMeta;
  /** Every CSV column by name, one value per recorded step. */
  columns: Record<string, Float64Array>;
  rows: number;
  cycles: CycleSummary[];
}

/** Reads a run written by GroundTruthWriter back into memory (for tests and scoring of short runs). */
export function readGroundTruth(basePath: string): GroundTruth {
  const meta = JSON.parse(readFileSync(`${basePath}.json`, "utf8")) as GroundTruthMeta;
  const lines = readFileSync(`${basePath}.csv`, "utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const names = lines[0]!.split(",");
  const rows = lines.length - 1;
  const columns: Record<string, Float64Array> = {};
  const arrays = names.map((n) => (columns[n] = new Float64Array(rows)));
  for (let r = 0; r < rows; r++) {
    const fields = lines[r + 1]!.split(",");
    if (fields.length !== names.length) {
      throw new Error(`ground truth ${basePath}.csv line ${r + 2} has ${fields.length} fields, the header has ${names.length}`);
    }
    for (let c = 0; c < names.length; c++) arrays[c]![r] = Number(fields[c]);
  }
  const cycles = readFileSync(`${basePath}.cycles.jsonl`, "utf8")
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as CycleSummary);
  return { meta, columns, rows, cycles };
}
