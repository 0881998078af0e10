import { DuckDBConnection } from "@duckdb/node-api";
import { DuckDbStore } from "../../host/store/duckdb-store.ts";
import type { Data } from "../../protocol/schema/data.ts";
import { frameSamples, FRAMES_PER_FLUSH } from "./duckdb-kill-frames.ts";

// Writes frames from `first` in flushes of FRAMES_PER_FLUSH and SIGKILLs itself when the store
// issues its `killAt`-th COMMIT, before DuckDB runs it: the samples are appended, the frames inserted.
const [path, firstArg, killAtArg] = process.argv.slice(2);
const killAt = Number(killAtArg);
let commits = 0;
const run = DuckDBConnection.prototype.run;
DuckDBConnection.prototype.run = function (this: DuckDBConnection, sql: string, ...rest: unknown[]) {
  if (sql === "COMMIT" && ++commits === killAt) process.kill(process.pid, "SIGKILL");
  return (run as (...args: unknown[]) => ReturnType<typeof run>).call(this, sql, ...rest);
} as typeof run;

const store = new DuckDbStore({ path: path! });
await store.open();
for (let seq = Number(firstArg); ; ) {
  for (let k = 0; k < FRAMES_PER_FLUSH; k++, seq++) {
    const frame: Data = { b: 1, c: [], p: 1000, s: seq, t: 0, v: 1 };
    await store.writeFrame("rig-A", "cell-07", frame, frameSamples(seq));
  }
  await store.flush();
  process.send?.(seq);
}
