import { DuckDbStore } from "./duckdb-store.ts";
import { PostgresStore, redacted } from "./postgres-store.ts";
import type { SampleStore } from "./store.ts";

/** `duckdb:<file>` (the embedded default) or `postgres://…` / `postgresql://…` (scale-out). */
export function storeFromSpec(spec: string): SampleStore {
  if (spec.startsWith("duckdb:")) {
    const path = spec.slice("duckdb:".length);
    if (path === "") throw new Error(`store "${spec}" names no file; use duckdb:<path>, e.g. duckdb:./data/cellrig.duckdb`);
    return new DuckDbStore({ path });
  }
  if (spec.startsWith("postgres://") || spec.startsWith("postgresql://")) return new PostgresStore({ url: spec });
  throw new Error(`store "${spec}" is neither duckdb:<path> nor postgres://user@host:port/database`);
}

/** Where a store writes, without any password in its URL, for logs. */
export function describeStore(spec: string): string {
  return spec.startsWith("duckdb:") ? spec : redacted(spec);
}
