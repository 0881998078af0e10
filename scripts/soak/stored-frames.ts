import { DuckDBInstance } from "@duckdb/node-api";
import type { StoredFrames } from "./ledger.ts";

/**
 * The frames a DuckDB store holds, by board and boot: the store's own key (board, boot, seq), read
 * from its `frames` table (host/store/duckdb-schema.ts) with the database opened read-only. The
 * query interface has no call for it: it answers by channel and time. With `pending_frames`, the
 * frames kept as received because no birth of their boot is known.
 */
export async function storedFrames(path: string, boards: string[], table: "frames" | "pending_frames" = "frames"): Promise<Map<string, StoredFrames>> {
  const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
  const connection = await instance.connect();
  const all = new Map<string, StoredFrames>();
  try {
    for (const board of boards) {
      const reader = await connection.runAndReadAll(`SELECT boot, seq FROM ${table} WHERE board = $board ORDER BY boot, seq`, { board });
      // No rows, no columns.
      const [boots = [], seqs = []] = reader.getColumns() as [bigint[]?, bigint[]?];
      const byBoot: StoredFrames = new Map();
      for (let i = 0; i < boots.length; i++) {
        const boot = Number(boots[i]);
        let list = byBoot.get(boot);
        if (list === undefined) byBoot.set(boot, (list = []));
        list.push(Number(seqs[i]));
      }
      all.set(board, byBoot);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return all;
}
