import { parseFlags } from "../args.ts";
import type { Command } from "../command.ts";
import { UsageError } from "../command.ts";
import { writeExport } from "../../host/export/write-export.ts";
import { storeFromSpec } from "../../host/store/open-store.ts";

const DEFAULT_STORE = "duckdb:./data/cellrig.duckdb";

/** An ISO 8601 time or µs since the Unix epoch. */
function time_us(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`${flag} must be an ISO time (2026-01-31T12:00:00Z) or µs since 1970, got "${value}"`);
  return ms * 1000;
}

export const exportCommand: Command = {
  name: "export",
  summary: "write a board's stored channels on one time base as CSV or Parquet, with a metadata sidecar",
  usage: `usage: cellrig export --board <id> --out <dir> [options]

  --store <spec>       duckdb:<file> (default ${DEFAULT_STORE}) or postgres://… (env CELLRIG_STORE)
  --board <id>         the board (or imported cell) to export
  --from <time>        first sample, ISO time or µs since 1970 (default: the first stored)
  --to <time>          end, exclusive (default: the last stored)
  --format csv|parquet (default csv)
  --out <dir>          writes <board>.csv or <board>.parquet and <board>.metadata.json

Columns carry BDF names (test_time_second, unix_time_second, then each channel's quantity);
cells where a channel has no sample nearby are empty, never filled.`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      store: { type: "string", default: process.env.CELLRIG_STORE ?? DEFAULT_STORE },
      board: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      format: { type: "string", default: "csv" },
      out: { type: "string" },
    });
    if (values.board === undefined) throw new UsageError("--board is required, e.g. --board cell-07");
    if (values.out === undefined) throw new UsageError("--out is required: the folder to write into");
    if (values.format !== "csv" && values.format !== "parquet") throw new UsageError(`--format must be csv or parquet, got "${values.format}"`);
    const from_us = time_us(values.from, "--from");
    const to_us = time_us(values.to, "--to");
    const store = storeFromSpec(values.store);
    await store.open();
    try {
      const table = await store.exportRows({ board: values.board, ...(from_us === undefined ? {} : { from_us }), ...(to_us === undefined ? {} : { to_us }) });
      const written = await writeExport(table, values.out, values.format);
      console.log(`${written.rows} rows → ${written.data}`);
      console.log(`metadata → ${written.metadata}`);
    } finally {
      await store.close();
    }
    return 0;
  },
};
