import { fuzzBdf } from "./bdf.ts";
import { fuzzBoardCommands } from "./board-commands.ts";
import { fuzzDecoder } from "./decoder.ts";
import { fuzzHttp } from "./http.ts";
import { fuzzRigConfig } from "./rig-config.ts";
import type { SurfaceReport } from "./tally.ts";

/** One surface: how many inputs it gets in the full campaign and in the short one `npm test` runs. */
export interface Surface {
  name: string;
  full: number;
  short: number;
  run(count: number, seed: number): Promise<SurfaceReport>;
}

export const SURFACES: Surface[] = [
  { name: "decoder", full: 780_000, short: 4000, run: fuzzDecoder },
  { name: "rig-config", full: 80_000, short: 1500, run: fuzzRigConfig },
  { name: "bdf", full: 100_000, short: 2000, run: fuzzBdf },
  { name: "http", full: 40_000, short: 2000, run: fuzzHttp },
  { name: "board-commands", full: 1_500, short: 25, run: fuzzBoardCommands },
];

export const DEFAULT_SEED = 20261122;

/** The campaign's table: one row per surface, then the total. */
export function formatTable(reports: SurfaceReport[]): string {
  const header = ["surface", "inputs", "accepted", "refused (by reason)", "crashes", "hangs", "slowest ms", "heap growth"];
  const rows = reports.map((r) => [
    r.surface,
    r.tried.toLocaleString("en-US"),
    r.accepted.toLocaleString("en-US"),
    Object.entries(r.refused).map(([reason, n]) => `${reason} ${n.toLocaleString("en-US")}`).join("; "),
    String(r.crashes),
    String(r.hangs),
    r.slowest_ms.toFixed(1),
    `${(r.heapGrowth_B / 2 ** 20).toFixed(1)} MiB`,
  ]);
  const total = reports.reduce((n, r) => n + r.tried, 0);
  const crashes = reports.reduce((n, r) => n + r.crashes, 0);
  const hangs = reports.reduce((n, r) => n + r.hangs, 0);
  rows.push(["total", total.toLocaleString("en-US"), "", "", String(crashes), String(hangs), "", ""]);
  return [header, header.map(() => "---"), ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

/** Notes, failures and the slowest input of each surface, under the table. */
export function formatDetails(reports: SurfaceReport[]): string {
  return reports
    .map((r) => [`${r.surface}:`, `  slowest input (${r.slowest_ms.toFixed(1)} ms): ${r.slowestInput}`, ...r.notes.map((n) => `  ${n}`), ...r.failures.map((f) => `  FAILURE ${f}`)].join("\n"))
    .join("\n");
}
