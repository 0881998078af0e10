import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { expect, it } from "vitest";
import { GroundTruthWriter, createCell } from "../../../sim/physics/index.ts";

/** A full garbage collection, so heap sizes compare live data rather than garbage awaiting collection. */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

it("runs graphite-nmc-gas for 7 days at 1 s steps with ground truth in bounded memory", () => {
  const dir = mkdtempSync(join(tmpdir(), "cellrig-physics-week-"));
  try {
    const cell = createCell("graphite-nmc-gas");
    const writer = new GroundTruthWriter(cell, join(dir, "week"));
    const week_s = 7 * 86400;
    const started_ms = performance.now();
    cell.advanceTo(86400);
    collectGarbage();
    const heapAfterDay1_B = process.memoryUsage().heapUsed;
    for (let t = 2 * 86400; t <= week_s; t += 86400) cell.advanceTo(t);
    collectGarbage();
    const heapAfterWeek_B = process.memoryUsage().heapUsed;
    writer.close();
    const wall_s = (performance.now() - started_ms) / 1000;
    console.log(`7 simulated days of graphite-nmc-gas with ground truth: ${wall_s.toFixed(2)} s wall, ${(week_s / wall_s).toFixed(0)} simulated s per wall s`);

    expect(cell.state.test_time_s).toBe(week_s);
    // The CSV grows with the run; the heap does not (it holds at most one flush buffer).
    console.log(`live heap after day 1: ${(heapAfterDay1_B / 2 ** 20).toFixed(1)} MiB, after day 7: ${(heapAfterWeek_B / 2 ** 20).toFixed(1)} MiB`);
    expect(heapAfterWeek_B - heapAfterDay1_B).toBeLessThan(8 * 2 ** 20);
    const csv_B = statSync(join(dir, "week.csv")).size;
    expect(csv_B).toBeGreaterThan(week_s * 100);
    const cycles = readFileSync(join(dir, "week.cycles.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(cycles.length).toBe(cell.state.cycle_count);
    expect(cycles.at(-1).complete).toBe(false);
    expect(cycles.slice(0, -1).every((c: { complete: boolean }) => c.complete)).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
