import { readFileSync } from "node:fs";
import fc from "fast-check";
import { readBdfCsv, readBdfCsvStream, type BdfTable } from "../../host/bdf/read.ts";
import { importBdf } from "../../host/import/import-bdf.ts";
import type { SampleStore } from "../../host/store/store.ts";
import { birthValidator, type Birth } from "../../protocol/schema/birth.ts";
import { sampled, spliceEdit, spliceText } from "./generate.ts";
import { settledHeap_B, textOf, Tally, type SurfaceReport } from "./tally.ts";

// The BDF importer (host/bdf reads the CSV, host/import stores it) on windows of the reference
// cycler files with their cells, rows and header edited. Reading never throws (problems are
// returned); the import refuses a table it cannot place in time with an Error that says what to
// give; what it stores must be a valid birth and finite samples. The same text read in chunks
// split anywhere must give the same table as read whole.

const HANG_ms = 1000;
const START_us = 1_729_670_400_000_000;

const CELL_FRAGMENTS = ["", ",", ",,", '"', '"1"', "NaN", "nan", "Infinity", "-0", "1e400", "1e-400", "0x10", "1_000", " 7 ", "\t", "\r", "\n", "\r\n", "\ufeff", "é", "-", ".", "1.2.3", "test_time_second", "unix_time_second", "step_index"];
const TIME_VALUES = ["0", "-1", "1e300", "NaN", "", "1.7976931348623157e308", "4e-320", "1e15", "-1e15"];

const BDF_FILES = ["SINTEF__SLPBA842124HV__2024-10-23__Rate_25degC__Neware__Time_Bug.bdf.csv", "DLR__LiLNMOHydra0b__20221125__POCV__25degC__Basytec.bdf.csv"];

/** Header and data lines of each reference file; a small file of our own with Unix times when they are absent. */
function sources(): { header: string; rows: string[] }[] {
  const out: { header: string; rows: string[] }[] = [];
  for (const name of BDF_FILES) {
    try {
      const lines = readFileSync(new URL(`../../../shared/data/bdf/${name}`, import.meta.url), "utf8").split("\n");
      out.push({ header: lines[0]!, rows: lines.slice(1).filter((l) => l.length > 0) });
    } catch {
      // the reference files sit beside the repository in development and CI
    }
  }
  out.push({ header: "test_time_second,unix_time_second,voltage_volt,current_ampere,step_index", rows: Array.from({ length: 200 }, (_, i) => `${i},${1_729_670_400 + i},${(3.7 + i / 1000).toFixed(4)},${i % 40 < 20 ? 1 : -1},${1 + Math.floor(i / 20)}`) });
  return out;
}

interface Input {
  text: string;
  cell: string;
  start_us: number | undefined;
  /** Where the text is cut into chunks for the streaming reader. */
  cuts: number[];
  how: string;
}

function inputs(all: { header: string; rows: string[] }[]): fc.Arbitrary<Input> {
  const window = fc.tuple(fc.nat(all.length - 1), fc.nat(), fc.integer({ min: 0, max: 60 })).map(([f, at, n]) => {
    const s = all[f]!;
    const from = at % Math.max(1, s.rows.length - n);
    return { header: s.header, rows: s.rows.slice(from, from + n) };
  });
  const lineEdit = fc.record({ row: fc.nat(), cell: fc.nat(), action: fc.nat(6), value: fc.constantFrom(...CELL_FRAGMENTS, ...TIME_VALUES) });
  const cellId = fc.oneof({ weight: 8, arbitrary: fc.constant("cell-1") }, { weight: 1, arbitrary: fc.constantFrom("", "x".repeat(33), "a/b", "é", "cell 1") });
  const start = fc.option(fc.constantFrom(START_us, 0, -1, Number.MAX_SAFE_INTEGER), { nil: undefined, freq: 3 });
  const cuts = fc.array(fc.nat(), { maxLength: 4 });
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.tuple(window, fc.array(lineEdit, { minLength: 1, maxLength: 6 }), cellId, start, cuts).map(([w, edits, cell, start_us, c]) => ({ text: editCells(w.header, w.rows, edits), cell, start_us, cuts: c, how: "cells edited" })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(window, fc.array(spliceEdit, { minLength: 1, maxLength: 4 }), cellId, start, cuts).map(([w, edits, cell, start_us, c]) => ({
        text: spliceText([w.header, ...w.rows].join("\n"), edits, CELL_FRAGMENTS),
        cell,
        start_us,
        cuts: c,
        how: "text edited",
      })),
    },
    { weight: 1, arbitrary: fc.tuple(window, cellId, start, cuts).map(([w, cell, start_us, c]) => ({ text: [w.header, ...w.rows].join("\r\n"), cell, start_us, cuts: c, how: "window as is" })) },
    { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 200, unit: "binary" }), start, cuts).map(([text, start_us, c]) => ({ text, cell: "cell-1", start_us, cuts: c, how: "random text" })) },
  );
}

/** Edits cells and lines: replace a cell, a header name, drop, duplicate or swap rows, add or remove a cell. */
function editCells(header: string, rows: string[], edits: { row: number; cell: number; action: number; value: string }[]): string {
  const lines = [header.split(","), ...rows.map((r) => r.split(","))];
  for (const e of edits) {
    const line = lines[e.row % lines.length]!;
    const k = e.cell % Math.max(1, line.length);
    switch (e.action) {
      case 0:
      case 1:
        line[k] = e.value;
        break;
      case 2:
        lines[0]![k] = e.action === 2 && e.cell % 2 === 0 ? lines[0]![(k + 1) % lines[0]!.length]! : e.value;
        break;
      case 3:
        lines.splice(e.row % lines.length, 1);
        break;
      case 4:
        lines.splice(e.row % lines.length, 0, line.slice());
        break;
      case 5:
        line.push(e.value);
        break;
      default:
        line.splice(k, 1);
    }
    if (lines.length === 0) lines.push([]);
  }
  return lines.map((l) => l.join(",")).join("\n");
}

/** A store that keeps what the import writes, for the checks. */
function memoryStore(): { store: SampleStore; births: Birth[]; badSamples: number } {
  const state = { births: [] as Birth[], badSamples: 0, store: undefined as unknown as SampleStore };
  state.store = {
    async writeBirth(_rig: string, _board: string, birth: Birth) {
      state.births.push(birth);
    },
    async writeFrame(_rig: string, _board: string, _frame: unknown, samples: { t_us: Float64Array; value: Float64Array }[]) {
      for (const s of samples) for (let i = 0; i < s.t_us.length; i++) if (!Number.isFinite(s.t_us[i]!) || !Number.isFinite(s.value[i]!)) state.badSamples++;
    },
    async flush() {},
  } as unknown as SampleStore;
  return state;
}

/** Names, row count and problem kinds: what must not depend on how the text was chunked. */
function shape(table: BdfTable): string {
  return JSON.stringify([table.names, table.rows, table.problems.map((p) => [p.kind, p.rows.length])]);
}

async function* chunked(text: string, cuts: number[]): AsyncGenerator<string> {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const cut of at) {
    yield text.slice(from, cut);
    from = cut;
  }
  yield text.slice(from);
}

/** The reason an import refused, from its message: each names what to give instead. */
function refusal(message: string): string | undefined {
  if (/ has no test_time_second column/.test(message)) return "no_time_column";
  if (/ has no unix_time_second column; give the test's start time/.test(message)) return "no_start_time";
  if (/^cell id ".*" must match /s.test(message)) return "bad_cell_id";
  return undefined;
}

export async function fuzzBdf(count: number, seed: number): Promise<SurfaceReport> {
  const tally = new Tally("BDF importer", HANG_ms);
  const problemKinds = new Map<string, number>();
  let rowsExcluded = 0;
  const heapBefore_B = settledHeap_B();
  for (const input of sampled(inputs(sources()), count, seed)) {
    const shown = () => `${input.how}, cell ${JSON.stringify(input.cell)}, start ${input.start_us}, cuts ${input.cuts}: ${textOf(input.text)}`;
    const start = performance.now();
    const out = memoryStore();
    try {
      const table = readBdfCsv({ text: input.text });
      const streamed = await readBdfCsvStream(chunked(input.text, input.cuts));
      if (shape(streamed) !== shape(table)) {
        tally.crash(`read in chunks the table differs: ${shape(streamed).slice(0, 200)} vs ${shape(table).slice(0, 200)}`, performance.now() - start, shown);
        continue;
      }
      for (const p of table.problems) problemKinds.set(p.kind, (problemKinds.get(p.kind) ?? 0) + 1);
      const options = input.start_us === undefined ? { cell: input.cell } : { cell: input.cell, start_us: input.start_us };
      const report = await importBdf(out.store, table, options);
      const elapsed = performance.now() - start;
      const invalid = out.births.find((b) => !birthValidator.Check(b));
      if (invalid !== undefined) tally.crash(`stored a birth the protocol refuses (${[...birthValidator.Errors(invalid)].map((e) => `${e.instancePath} ${e.message}`).slice(0, 3).join("; ")})`, elapsed, shown);
      else if (out.badSamples > 0) tally.crash(`stored ${out.badSamples} samples with a time or value that is not finite`, elapsed, shown);
      else if (report.rowsStored === 0) tally.record(`nothing stored: ${table.problems.find((p) => p.severity === "error")?.kind ?? "no rows"}`, elapsed, shown);
      else {
        rowsExcluded += report.rowsExcluded.length;
        tally.record(undefined, elapsed, shown);
      }
    } catch (err) {
      const elapsed = performance.now() - start;
      const reason = err instanceof Error && err.constructor === Error ? refusal(err.message) : undefined;
      if (reason === undefined) tally.crash(`escaped ${err instanceof Error ? `${err.name}: ${err.message.slice(0, 200)}` : String(err)}`, elapsed, shown);
      else tally.record(reason, elapsed, shown);
    }
  }
  const heapGrowth_B = settledHeap_B() - heapBefore_B;
  tally.notes.push(`problems the reader reported: ${[...problemKinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(", ")}`);
  tally.notes.push(`${rowsExcluded} rows left out of imports, each named by an error`);
  return tally.report(heapGrowth_B);
}
