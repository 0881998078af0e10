import type { SampleStore } from "../../host/store/store.ts";
import type { GapReport } from "./host.ts";

/**
 * The soak's account of every sample, per board: what the board recorded (counted at the chips,
 * recorded.ts), what storage holds (read back through the store's query interface, every row, so
 * duplicates show), and what the board reported lost in gap messages. Whatever is recorded but
 * neither stored nor reported was lost silently.
 */

export interface LedgerRow {
  board: string;
  recorded: number;
  /** Sample rows in storage, duplicates included. */
  rows: number;
  /** Rows beyond the first of the same channel, time and code. */
  duplicated: number;
  /** Samples the board's gap messages say it lost. */
  reportedLost: number;
  /** recorded − distinct stored − reported lost: 0 when every sample is accounted for, negative when more is accounted than recorded. */
  silentlyLost: number;
  gapMessages: number;
  boots: number;
}

const PAGE = 500_000;

/** Rows of one channel, and how many repeat a (time, code) already seen. */
async function channelRows(store: SampleStore, board: string, channel: string): Promise<{ rows: number; duplicated: number }> {
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

export async function ledgerRow(
  store: SampleStore,
  board: string,
  recorded: number,
  gaps: GapReport[],
  extra: { boots: number },
): Promise<LedgerRow> {
  let rows = 0;
  let duplicated = 0;
  for (const channel of await store.channels(board)) {
    const r = await channelRows(store, board, channel.id);
    rows += r.rows;
    duplicated += r.duplicated;
  }
  const own = gaps.filter((g) => g.board === board);
  const reportedLost = own.reduce((sum, g) => sum + g.gap.samples, 0);
  return {
    board,
    recorded,
    rows,
    duplicated,
    reportedLost,
    silentlyLost: recorded - (rows - duplicated) - reportedLost,
    gapMessages: own.length,
    ...extra,
  };
}

export function ledgerTotal(rows: LedgerRow[]): LedgerRow {
  const sum = (f: (r: LedgerRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  return {
    board: "total",
    recorded: sum((r) => r.recorded),
    rows: sum((r) => r.rows),
    duplicated: sum((r) => r.duplicated),
    reportedLost: sum((r) => r.reportedLost),
    silentlyLost: sum((r) => r.silentlyLost),
    gapMessages: sum((r) => r.gapMessages),
    boots: sum((r) => r.boots),
  };
}

const COLUMNS: [string, (r: LedgerRow) => string | number][] = [
  ["board", (r) => r.board],
  ["recorded", (r) => r.recorded],
  ["stored", (r) => r.rows - r.duplicated],
  ["duplicated", (r) => r.duplicated],
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
