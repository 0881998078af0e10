import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { ExportTable } from "../bridge/api-types.ts";

export type ExportFormat = "csv" | "parquet";

export interface WrittenExport {
  data: string;
  metadata: string;
  rows: number;
}

/**
 * Writes `<board>.csv` or `<board>.parquet` and `<board>.metadata.json` into `dir`. Parquet is
 * made by DuckDB (`COPY … TO … (FORMAT PARQUET)`) from the CSV, which is then removed.
 */
export async function writeExport(table: ExportTable, dir: string, format: ExportFormat): Promise<WrittenExport> {
  await mkdir(dir, { recursive: true });
  const base = join(dir, table.metadata.board);
  const csv = `${base}.csv`;
  const lines = [table.columns.join(","), ...table.rows.map((row) => row.map((v) => (v === null ? "" : String(v))).join(","))];
  await writeFile(csv, `${lines.join("\n")}\n`);
  let data = csv;
  if (format === "parquet") {
    data = `${base}.parquet`;
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      const types = table.columns.map((c) => `'${c}': 'DOUBLE'`).join(", ");
      await connection.run(`COPY (SELECT * FROM read_csv('${sqlText(csv)}', header = true, columns = {${types}})) TO '${sqlText(data)}' (FORMAT PARQUET)`);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    await rm(csv);
  }
  const metadata = `${base}.metadata.json`;
  await writeFile(metadata, `${JSON.stringify({ ...table.metadata, columns: table.columns, units: table.units, rows: table.rows.length, format }, null, 2)}\n`);
  return { data, metadata, rows: table.rows.length };
}

function sqlText(text: string): string {
  return text.replace(/'/g, "''");
}
