import type { SampleStore } from "../../host/store/store.ts";
import type { Gap } from "../../protocol/schema/gap.ts";
import type { GapReport } from "./host.ts";
import type { BootFrames } from "./recorded.ts";

/**
 * The soak's account of every sample, per board: what the board recorded (counted at the chips,
 * recorded.ts), what storage holds (its sample rows read back through the store's query interface,
 * every row, so duplicates show; and its frames by boot and sequence number), and what the board
 * reported lost in gap messages. Whatever is recorded but neither stored nor reported was lost
 * silently. A `power` gap gives no sample count (the board no longer knows it), so coverage is
 * judged frame by frame against the sequence numbers each gap names.
 */

export interface LedgerRow {
  board: string;
  recorded: number;
  /** Sample rows in storage, duplicates included. */
  rows: number;
  /** Rows beyond the first of the same channel, time and code. */
  duplicated: number;
  /** Recorded samples whose frame storage holds (by boot and sequence number): should equal rows − duplicated. */
  storedByFrame: number;
  /** Recorded samples not stored, in frames the store keeps as received: no birth of their boot is known, so they cannot be read yet. */
  held: number;
  /** Recorded samples not stored, in frames a gap message of the board covers. */
  reportedLost: number;
  /** Recorded samples neither stored, held nor covered by a gap message. */
  silentlyLost: number;
  /** Frames in storage that the board did not record (by boot and sequence number). */
  unexpectedFrames: number;
  gapMessages: number;
  boots: number;
}

const PAGE = 500_000;
const SEQ_MODULUS = 4294967296;

/** Rows of one channel, and how many repeat a (time, code) already seen. */
async function channelRows(store: SampleStore, board: string, channel: string): Promise<SampleRows> {
  let rows = 0;
  let duplicated = 0;
  let from_us: number | undefined;
  for (;;) {
    const page = await store.samples({ board, channel, limit: PAGE, ...(from_us === undefined ? {} : { from_us }) });
    // A full page may end inside a run of equal times: those are read again with the next page.
    const full = page.length === PAGE;
    const lastTime = page.at(-1)?.t_us;
    let end = page.length;
    if (full) while (end > 0 && page[end - 1]!.t_us === lastTime) end--;
    if (full && end === 0) throw new Error(`${board}/${channel}: more than ${PAGE} samples at ${lastTime} µs`);
    let i = 0;
    while (i < end) {
      const t = page[i]!.t_us;
      const codes = new Set<number>();
      for (; i < end && page[i]!.t_us === t; i++) {
        rows++;
        if (codes.has(page[i]!.raw)) duplicated++;
        else codes.add(page[i]!.raw);
      }
    }
    if (!full) return { rows, duplicated };
    from_us = lastTime!;
  }
}

export interface SampleRows {
  rows: number;
  duplicated: number;
}

/** Every sample row of one board, through the store's query interface. */
export async function sampleRows(store: SampleStore, board: string): Promise<SampleRows> {
  const total = { rows: 0, duplicated: 0 };
  for (const channel of await store.channels(board)) {
    const r = await channelRows(store, board, channel.id);
    total.rows += r.rows;
    total.duplicated += r.duplicated;
  }
  return total;
}

/** Stored frames of one board by boot: the sequence numbers. */
export type StoredFrames = Map<number, number[]>;

function covered(gaps: Gap[], boot: number, seq: number): boolean {
  return gaps.some((g) => g.b === boot && g.seq !== undefined && (seq - g.seq + SEQ_MODULUS) % SEQ_MODULUS < g.frames);
}

/**
 * One board's account. Each frame the board recorded (recorded.ts) is stored, covered by one of
 * its gap messages, or lost silently; so is the frame a brown-out left open (under the sequence
 * number it would have had). The last boot's open frame was still being filled when the run ended.
 */
export function ledgerRow(board: string, boots: BootFrames[], stored: StoredFrames, sampleRows: SampleRows, reports: GapReport[], pending: StoredFrames = new Map()): LedgerRow {
  const { rows, duplicated } = sampleRows;
  const gaps = reports.filter((g) => g.board === board).map((g) => g.gap);
  let recorded = 0;
  let storedByFrame = 0;
  let held = 0;
  let reportedLost = 0;
  let silentlyLost = 0;
  let unexpectedFrames = 0;
  const account = (boot: number, seq: number, samples: number, isStored: boolean) => {
    recorded += samples;
    if (isStored) storedByFrame += samples;
    else if (pending.get(boot)?.includes(seq)) held += samples;
    else if (covered(gaps, boot, seq)) reportedLost += samples;
    else silentlyLost += samples;
  };
  const recordedBoots = new Set(boots.map((b) => b.boot));
  boots.forEach((b, i) => {
    const seen = new Uint8Array(b.frames + 1);
    for (const seq of stored.get(b.boot) ?? []) {
      if (seq < b.frames) seen[seq] = 1;
      else unexpectedFrames++;
    }
    for (let seq = 0; seq < b.frames; seq++) account(b.boot, seq, b.samplesPerFrame, seen[seq] === 1);
    if (i < boots.length - 1 && b.openSamples > 0) account(b.boot, b.frames, b.openSamples, false);
  });
  for (const [boot, seqs] of stored) if (!recordedBoots.has(boot)) unexpectedFrames += seqs.length;
  return { board, recorded, rows, duplicated, storedByFrame, held, reportedLost, silentlyLost, unexpectedFrames, gapMessages: gaps.length, boots: boots.length };
}

export function ledgerTotal(rows: LedgerRow[]): LedgerRow {
  const sum = (f: (r: LedgerRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  return {
    board: "total",
    recorded: sum((r) => r.recorded),
    rows: sum((r) => r.rows),
    duplicated: sum((r) => r.duplicated),
    storedByFrame: sum((r) => r.storedByFrame),
    held: sum((r) => r.held),
    reportedLost: sum((r) => r.reportedLost),
    silentlyLost: sum((r) => r.silentlyLost),
    unexpectedFrames: sum((r) => r.unexpectedFrames),
    gapMessages: sum((r) => r.gapMessages),
    boots: sum((r) => r.boots),
  };
}

const COLUMNS: [string, (r: LedgerRow) => string | number][] = [
  ["board", (r) => r.board],
  ["recorded", (r) => r.recorded],
  ["stored", (r) => r.rows - r.duplicated],
  ["duplicated", (r) => r.duplicated],
  ["held", (r) => r.held],
  ["reported lost", (r) => r.reportedLost],
  ["silently lost", (r) => r.silentlyLost],
  ["gap msgs", (r) => r.gapMessages],
  ["boots", (r) => r.boots],
];

/** The ledger as a Markdown table (readable in a terminal too). */
export function formatLedger(rows: LedgerRow[]): string {
  const all = [...rows, ledgerTotal(rows)];
  const cell = (v: string | number) => (typeof v === "number" ? v.toLocaleString("en-US") : v);
  const table = [COLUMNS.map(([name]) => name), ...all.map((r) => COLUMNS.map(([, f]) => cell(f(r))))];
  const widths = COLUMNS.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const line = (row: string[]) => `| ${row.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(" | ")} |`;
  return [line(table[0]!), `|${widths.map((w, c) => (c === 0 ? "-".repeat(w + 1) + "-" : "-".repeat(w + 1) + ":")).join("|")}|`, ...table.slice(1).map(line)].join("\n");
}
