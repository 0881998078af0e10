import { parseFlags } from "../args.ts";
import type { Command } from "../command.ts";
import { UsageError } from "../command.ts";
import { readBdfCsv } from "../../host/bdf/read.ts";
import { importBdf } from "../../host/import/import-bdf.ts";
import { storeFromSpec } from "../../host/store/open-store.ts";

const DEFAULT_STORE = "duckdb:./data/cellrig.duckdb";

export const importCommand: Command = {
  name: "import",
  summary: "store a cycler's BDF CSV file as a cell beside the boards' data, reporting every problem by row",
  usage: `usage: cellrig import <file.bdf.csv> --cell <id> [options]

  --store <spec>   duckdb:<file> (default ${DEFAULT_STORE}) or postgres://… (env CELLRIG_STORE)
  --cell <id>      the cell: stored as board <id> of rig "cycler", one channel per BDF column
  --start <time>   ISO time of test_time_second = 0, for files without unix_time_second

Rows that a problem of severity "error" names (e.g. a time running backwards) are left out and
listed; the exit status is 1 when any were.`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      store: { type: "string", default: process.env.CELLRIG_STORE ?? DEFAULT_STORE },
      cell: { type: "string" },
      start: { type: "string" },
    }, true);
    const file = positionals[0];
    if (file === undefined) throw new UsageError("give the BDF CSV file to import, e.g. cellrig import run.bdf.csv --cell cell-07");
    if (values.cell === undefined) throw new UsageError("--cell is required: the id the cell's data is stored under");
    let start_us: number | undefined;
    if (values.start !== undefined) {
      const ms = Date.parse(values.start);
      if (Number.isNaN(ms)) throw new UsageError(`--start must be an ISO time such as 2024-10-23T09:00:00Z, got "${values.start}"`);
      start_us = ms * 1000;
    }
    const table = readBdfCsv({ path: file });
    const store = storeFromSpec(values.store);
    await store.open();
    try {
      const report = await importBdf(store, table, { cell: values.cell, ...(start_us === undefined ? {} : { start_us }) });
      for (const line of report.messages) console.error(line);
      console.log(`${report.rowsStored} of ${report.rows} rows of ${file} stored as cell ${report.cell} (${report.channels.length} channels)`);
      return report.rowsExcluded.length > 0 ? 1 : 0;
    } finally {
      await store.close();
    }
  },
};
