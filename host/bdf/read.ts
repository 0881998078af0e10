import { readFileSync } from "node:fs";
import { describeRows, type BdfProblem } from "./problems.ts";
import { validateTimeAxis, type TimeAxisOptions } from "./time-axis.ts";
import { TIME_COLUMN, unitOfColumn } from "./units.ts";

/** A BDF CSV file as columns of numbers, with everything found wrong in it. */
export interface BdfTable {
  /** Column names in file order (duplicates renamed `name#2`, reported). */
  names: string[];
  /** One array per column, `rows` long; a cell that is empty or not a number is NaN (reported). */
  columns: Record<string, Float64Array>;
  rows: number;
  /** Unit per column as the BDF name gives it; "" when the name carries none. */
  units: Record<string, string>;
  problems: BdfProblem[];
}

export type BdfSource = { path: string } | { text: string };

export interface ReadBdfOptions {
  time?: TimeAxisOptions;
}

/** Reads a whole BDF CSV file or text. Never throws on bad content: it returns problems. */
export function readBdfCsv(source: BdfSource, options: ReadBdfOptions = {}): BdfTable {
  const parser = new BdfCsvParser(options);
  parser.push("text" in source ? source.text : readFileSync(source.path, "utf8"));
  return parser.finish();
}

/** Reads a BDF CSV file chunk by chunk (e.g. from `fs.createReadStream(path, "utf8")`). */
export async function readBdfCsvStream(chunks: AsyncIterable<string>, options: ReadBdfOptions = {}): Promise<BdfTable> {
  const parser = new BdfCsvParser(options);
  for await (const chunk of chunks) parser.push(chunk);
  return parser.finish();
}

const COMMA = 44;
const QUOTE = 34;
const INITIAL_CAPACITY = 4096;

/**
 * Incremental parser: text may arrive in chunks split anywhere. Values go straight into growing
 * Float64Arrays, so memory is eight bytes per cell and no object is made per row.
 */
export class BdfCsvParser {
  private names: string[] | undefined;
  private data: Float64Array[] = [];
  private rows = 0;
  private capacity = INITIAL_CAPACITY;
  private pending = "";
  private sawText = false;
  private readonly problems: BdfProblem[] = [];
  private readonly wrongCount: number[] = [];
  private wrongCountFirst = "";
  private readonly nonNumeric = new Map<number, number[]>();
  private readonly nonNumericExample = new Map<number, string>();
  private readonly empty = new Map<number, number[]>();

  constructor(private readonly options: ReadBdfOptions = {}) {}

  push(chunk: string): void {
    if (chunk.length === 0) return;
    this.sawText = true;
    const text = this.pending + chunk;
    let start = 0;
    for (;;) {
      const newline = text.indexOf("\n", start);
      if (newline < 0) break;
      this.line(text, start, newline);
      start = newline + 1;
    }
    this.pending = text.slice(start);
  }

  finish(): BdfTable {
    if (this.pending.length > 0) this.line(this.pending, 0, this.pending.length);
    this.pending = "";
    const names = this.names ?? [];
    if (!this.sawText || this.names === undefined) {
      this.problems.push({ kind: "empty_file", severity: "error", rows: [], message: "the file is empty: a BDF CSV file needs a header line of column names and data rows" });
    } else if (this.rows === 0) {
      this.problems.push({ kind: "no_data_rows", severity: "error", rows: [], message: `the file has a header (${names.join(", ")}) but no data rows` });
    }
    this.reportCells(names);
    const columns: Record<string, Float64Array> = {};
    const units: Record<string, string> = {};
    names.forEach((name, k) => {
      columns[name] = this.data[k].slice(0, this.rows);
      units[name] = unitOfColumn(name);
    });
    if (this.names !== undefined && this.rows > 0) {
      const time = columns[TIME_COLUMN];
      if (time === undefined) {
        this.problems.push({ kind: "missing_time_column", severity: "error", rows: [], message: `no ${TIME_COLUMN} column among ${names.join(", ")}: rows cannot be placed in time` });
      } else {
        const stepIndex = columns["step_index"];
        this.problems.push(...validateTimeAxis(time, { stepIndex, ...this.options.time, column: TIME_COLUMN }));
      }
    }
    return { names, columns, rows: this.rows, units, problems: this.problems };
  }

  private line(text: string, start: number, end: number): void {
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    if (this.names === undefined) {
      if (start === 0 && text.charCodeAt(0) === 0xfeff) start = 1;
      if (end === start) return;
      this.header(text.slice(start, end));
      return;
    }
    this.row(text, start, end);
  }

  private header(line: string): void {
    const seen = new Map<string, number>();
    const names = line.split(",").map((raw, k) => {
      let name = unquote(raw.trim());
      if (name === "") {
        name = `column_${k + 1}`;
        this.problems.push({ kind: "empty_header_cell", severity: "warning", rows: [], column: name, message: `header cell ${k + 1} is empty; its column is kept as "${name}"` });
      }
      const times = (seen.get(name) ?? 0) + 1;
      seen.set(name, times);
      if (times > 1) {
        const renamed = `${name}#${times}`;
        this.problems.push({ kind: "duplicate_column", severity: "warning", rows: [], column: renamed, message: `column "${name}" appears ${times} times in the header; occurrence ${times} is kept as "${renamed}"` });
        return renamed;
      }
      return name;
    });
    this.names = names;
    this.data = names.map(() => new Float64Array(this.capacity));
  }

  private row(text: string, start: number, end: number): void {
    if (this.rows === this.capacity) this.grow();
    const r = this.rows++;
    const width = this.data.length;
    let k = 0;
    let cellStart = start;
    for (let i = start; i <= end; i++) {
      if (i < end && text.charCodeAt(i) !== COMMA) continue;
      if (k < width) this.data[k][r] = this.cell(text, cellStart, i, k, r + 1);
      k++;
      cellStart = i + 1;
    }
    for (let j = k; j < width; j++) this.data[j][r] = Number.NaN;
    if (k !== width) {
      if (this.wrongCount.length === 0) this.wrongCountFirst = `row ${r + 1} has ${k}`;
      this.wrongCount.push(r + 1);
    }
  }

  private cell(text: string, start: number, end: number, column: number, row: number): number {
    if (end > start && text.charCodeAt(start) === QUOTE && text.charCodeAt(end - 1) === QUOTE) {
      start++;
      end--;
    }
    const raw = text.slice(start, end);
    const value = Number(raw);
    if (Number.isFinite(value)) {
      if (value === 0 && raw.trim() === "") return this.emptyCell(column, row);
      return value;
    }
    const word = raw.trim().toLowerCase();
    if (word === "nan" || word === "") return this.emptyCell(column, row);
    let rows = this.nonNumeric.get(column);
    if (rows === undefined) {
      rows = [];
      this.nonNumeric.set(column, rows);
      this.nonNumericExample.set(column, raw);
    }
    rows.push(row);
    return Number.NaN;
  }

  private emptyCell(column: number, row: number): number {
    let rows = this.empty.get(column);
    if (rows === undefined) {
      rows = [];
      this.empty.set(column, rows);
    }
    rows.push(row);
    return Number.NaN;
  }

  private grow(): void {
    this.capacity *= 2;
    this.data = this.data.map((old) => {
      const bigger = new Float64Array(this.capacity);
      bigger.set(old);
      return bigger;
    });
  }

  private reportCells(names: string[]): void {
    if (this.wrongCount.length > 0) {
      this.problems.push({
        kind: "column_count",
        severity: "error",
        rows: this.wrongCount,
        message: `the header has ${names.length} columns but ${describeRows(this.wrongCount)} ${this.wrongCount.length === 1 ? "does" : "do"} not (${this.wrongCountFirst}); missing cells read as NaN and extra cells are ignored`,
      });
    }
    for (const [column, rows] of this.nonNumeric) {
      const name = names[column];
      this.problems.push({
        kind: "non_numeric_cell",
        severity: "error",
        column: name,
        rows,
        message: `column "${name}" holds text that is not a number at ${describeRows(rows)} (first: "${this.nonNumericExample.get(column)}" in row ${rows[0]}); these cells read as NaN`,
      });
    }
    for (const [column, rows] of this.empty) {
      const name = names[column];
      this.problems.push({ kind: "empty_cell", severity: "warning", column: name, rows, message: `column "${name}" is empty or NaN at ${describeRows(rows)}; these cells read as NaN` });
    }
  }
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}
