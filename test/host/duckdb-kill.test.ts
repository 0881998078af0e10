import { fork } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FRAMES_PER_FLUSH, SAMPLES_PER_FRAME } from "./duckdb-kill-frames.ts";

// The store's process is killed (SIGKILL) just before DuckDB runs a batch's COMMIT, at a different
// commit each round; the next round starts again from the frames of the batch before the killed one,
// as the broker redelivers what was never acknowledged. Every frame's samples must be stored once.

const CHILD = fileURLToPath(new URL("./duckdb-kill-child.ts", import.meta.url));
const KILL_AT_COMMIT = [1, 3, 2, 5, 4];

function runChild(path: string, first: number, killAt: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let acked = first;
    const child = fork(CHILD, [path, String(first), String(killAt)], { execArgv: ["--import", "tsx"], stdio: "inherit" });
    child.on("message", (seq) => (acked = Number(seq)));
    child.once("error", reject);
    child.once("exit", (code, signal) => (signal === "SIGKILL" ? resolve(acked) : reject(new Error(`store child ended with ${code ?? signal} instead of its SIGKILL`))));
  });
}

describe("DuckDbStore killed just before a commit", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cellrig-store-kill-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps each frame's samples exactly once over kills and redeliveries", { timeout: 120_000 }, async () => {
    const path = join(dir, "kill.duckdb");
    let acked = 0;
    for (const killAt of KILL_AT_COMMIT) acked = await runChild(path, Math.max(0, acked - FRAMES_PER_FLUSH), killAt);
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    try {
      const frames = (await connection.runAndReadAll("SELECT count(*) AS n, count(DISTINCT seq) AS d, max(seq) AS last FROM frames")).getRowObjects()[0]!;
      const perFrame = await connection.runAndReadAll(`SELECT t_us // 1000000 AS seq, count(*) AS n FROM samples GROUP BY seq HAVING n <> ${SAMPLES_PER_FRAME}`);
      const rows = (await connection.runAndReadAll("SELECT count(*) AS n FROM samples")).getRowObjects()[0]!;
      expect(Number(frames.n)).toBe(Number(frames.d));
      expect(Number(frames.last) + 1).toBeGreaterThanOrEqual(acked);
      expect(perFrame.getRowObjects()).toEqual([]);
      expect(Number(rows.n)).toBe(Number(frames.n) * SAMPLES_PER_FRAME);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
