import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { boardIds, loadBoardProfile, type BoardProfile } from "../../boards/profile.ts";
import { parseRigConfig } from "../../boards/rig-config.ts";
import { RigConfigError } from "../../boards/rig-errors.ts";
import { editTree, sampled, spliceEdit, spliceText, valueEdit } from "./generate.ts";
import { retimed, settledHeap_B, textOf, Tally, type SurfaceReport } from "./tally.ts";

// The rig-configuration loader (boards/rig-config.ts) on the text of a file, as `cellrig build`
// and `flash` read it. A rig file is accepted, or refused with an Error whose every line names
// the file, line and column: a RigConfigError for mistakes against the schema or the board, a
// plain Error for text that is not JSON. Anything else escaping is a crash.

const NAME = "rig.json";
/** A file is checked in milliseconds; longer means something scales badly. */
const HANG_ms = 1000;
/** The most channels a birth carries (protocol/schema/birth.ts). */
const MAX_CHANNELS = 256;

const JSON_FRAGMENTS = ["{", "}", "[", "]", ",", ":", '"', '""', "null", "-", "1e999", "0.0000001", '"\\u0000"', '"\\ud800"', "\n", "\r\n", "\t", "\ufeff", "//", "/*", "NaN", "'", "\\", "true", '"$comment":1,'];

/** The shipped rigs and the mistakes fixture, each with the board it names. */
function seeds(): { text: string; board: string }[] {
  const files = [
    ...readdirSync(new URL("../../rigs/", import.meta.url)).map((f) => new URL(`../../rigs/${f}`, import.meta.url)),
    new URL("../../test/boards/fixtures/rig-with-mistakes.json", import.meta.url),
  ];
  return files.map((url) => {
    const text = readFileSync(url, "utf8");
    return { text, board: (JSON.parse(text) as { board: string }).board };
  });
}

interface Input {
  text: string;
  board: string;
  how: string;
}

function inputs(all: { text: string; board: string }[], boards: string[]): fc.Arbitrary<Input> {
  const seed = fc.nat(all.length - 1).map((i) => all[i]!);
  const board = fc.constantFrom(...boards);
  const indent = fc.constantFrom(0, 2, "\t");
  // about one input in a thousand is large: each takes up to a second
  return fc.oneof(
    {
      weight: 500,
      arbitrary: fc.tuple(seed, fc.array(valueEdit, { minLength: 1, maxLength: 4 }), indent).map(([s, edits, space]) => ({
        text: JSON.stringify(editTree(JSON.parse(s.text), edits), null, space) ?? "",
        board: s.board,
        how: "fields edited",
      })),
    },
    { weight: 300, arbitrary: fc.tuple(seed, fc.array(spliceEdit, { minLength: 1, maxLength: 4 })).map(([s, edits]) => ({ text: spliceText(s.text, edits, JSON_FRAGMENTS), board: s.board, how: "text edited" })) },
    { weight: 100, arbitrary: fc.tuple(seed, board).map(([s, b]) => ({ text: s.text, board: b, how: `built for ${b}` })) },
    { weight: 100, arbitrary: fc.tuple(fc.json({ maxDepth: 4 }), board).map(([text, b]) => ({ text, board: b, how: "random JSON" })) },
    { weight: 1, arbitrary: fc.tuple(seed, fc.nat(3), fc.integer({ min: 100, max: 40_000 })).map(([s, shape, n]) => ({ text: large(s.text, shape, n), board: s.board, how: `large (${n})` })) },
  );
}

/**
 * A file far larger or deeper than any rig: as many channels as a birth may carry (256; more take
 * the checks a time that grows with the square of the count), a long list, deep nesting, a long key.
 */
function large(text: string, shape: number, n: number): string {
  const rig = JSON.parse(text) as { channels: unknown[]; [key: string]: unknown };
  switch (shape) {
    case 0:
      rig.channels = Array.from({ length: Math.min(n, MAX_CHANNELS) }, (_, i) => ({ ...(rig.channels[0] as object), id: `c${i}` }));
      return JSON.stringify(rig, null, 2);
    case 1:
      return text.replace("{", `{"frame_s_list": [${Array(n).fill("1").join(",\n")}],`);
    case 2:
      return text.replace("{", `{"deep": ${"[".repeat(n)}${"]".repeat(n)},`);
    default:
      return text.replace("{", `{${JSON.stringify("k".repeat(n))}: 1,`);
  }
}

/** Every line after the header names the file, and where the key is found, its line and column. */
function located(err: RigConfigError): { ok: boolean; unlocated: number } {
  const lines = err.message.split("\n").slice(1);
  let unlocated = 0;
  for (const line of lines) {
    if (/^ {2}rig\.json:\d+:\d+: \S/.test(line)) continue;
    if (!/^ {2}rig\.json: \S/.test(line)) return { ok: false, unlocated };
    unlocated++;
  }
  return { ok: lines.length > 0 && lines.length === err.problems.length, unlocated };
}

export async function fuzzRigConfig(count: number, seed: number): Promise<SurfaceReport> {
  const tally = new Tally("rig configuration loader", HANG_ms);
  const boards = new Map<string, BoardProfile>(boardIds().map((id) => [id, loadBoardProfile(id)]));
  const all = seeds();
  const heapBefore_B = settledHeap_B();
  let unlocated = 0;
  for (const input of sampled(inputs(all, [...boards.keys()]), count, seed)) {
    const shown = () => `${input.how}, board ${input.board}: ${textOf(input.text)}`;
    const board = boards.get(input.board)!;
    const start = performance.now();
    try {
      parseRigConfig(input.text, NAME, board);
      tally.record(undefined, retimed(performance.now() - start, HANG_ms, () => parseRigConfig(input.text, NAME, board)), shown);
    } catch (err) {
      const elapsed = retimed(performance.now() - start, HANG_ms, () => parseRigConfig(input.text, NAME, board));
      if (err instanceof RigConfigError) {
        const where = located(err);
        unlocated += where.unlocated;
        if (!where.ok) tally.crash(`a RigConfigError line without file and position: ${JSON.stringify(err.message.slice(0, 300))}`, elapsed, shown);
        else tally.record(/ does not fit board /.test(err.message.split("\n")[0]!) ? "board_fit" : "schema", elapsed, shown);
      } else if (err instanceof Error && err.constructor === Error && /^rig configuration rig\.json:\d+:\d+ is not valid JSON: /.test(err.message)) {
        tally.record("json_syntax", elapsed, shown);
      } else {
        tally.crash(`escaped ${err instanceof Error ? `${err.name}: ${err.message.slice(0, 200)}` : String(err)}`, elapsed, shown);
      }
    }
  }
  const heapGrowth_B = settledHeap_B() - heapBefore_B;
  tally.notes.push(`${unlocated} problem lines name the file without a line (the key is absent from the text, e.g. a required one)`);
  return tally.report(heapGrowth_B);
}
