import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatLedger } from "../../scripts/soak/ledger.ts";
import { describeSchedule, soakSchedule } from "../../scripts/soak/schedule.ts";
import { runSoak, type SoakResult } from "../../scripts/soak/soak.ts";
import { mosquittoMissing, skipWithout } from "../host/services.ts";

// The short soak: two boards running the built firmware for three hours of virtual time while the
// seed's faults hit them (brown-outs, clock steps both ways, partitions from the broker) and the host
// (broker restarts, bridge SIGKILLs). Every sample the boards recorded, counted at the chips, must
// be stored exactly once or covered by a gap message the board sent. `npm run soak` is the long one.

const SEED = 20261122;
const BOARDS = 2;
const DURATION_s = 3 * 3600;
/** Faults per day × this: one or more of each kind in three hours. */
const INTENSITY = 4;
/** The demo rig's one channel at 10 Hz. */
const RATE_HZ = 10;

const skip = skipWithout(mosquittoMissing());

describe.skipIf(skip)("short soak under faults", () => {
  let dir: string;
  let result: SoakResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cellrig-soak-"));
    result = await runSoak({ seed: SEED, boards: BOARDS, duration_s: DURATION_s, intensity: INTENSITY, dir });
    console.log(`soak seed ${SEED}: ${result.schedule.length} faults\n${describeSchedule(result.schedule).join("\n")}\n${formatLedger(result.ledger)}`);
  }, 240_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("replays the same fault schedule from the same seed", () => {
    expect(soakSchedule({ seed: SEED, boards: BOARDS, duration_s: DURATION_s, intensity: INTENSITY })).toEqual(result.schedule);
    expect(soakSchedule({ seed: SEED + 1, boards: BOARDS, duration_s: DURATION_s, intensity: INTENSITY })).not.toEqual(result.schedule);
  });

  it("injected every kind of fault, on every board", () => {
    const kinds = new Set(result.schedule.map((e) => `${e.kind}${"board" in e && e.board !== undefined ? `@${e.board}` : ""}`));
    for (let b = 0; b < BOARDS; b++) for (const kind of ["brownout", "clock_jump", "broker_outage"]) expect(kinds).toContain(`${kind}@${b}`);
    expect(result.restarts.broker).toBeGreaterThan(0);
    expect(result.restarts.bridge).toBeGreaterThan(0);
    expect(result.ledger.map((r) => r.boots)).toEqual(
      Array.from({ length: BOARDS }, (_, b) => 1 + result.schedule.filter((e) => e.kind === "brownout" && e.board === b).length),
    );
  });

  it("counts what the boards recorded at the chips: the rate times the time they were powered", () => {
    for (const [b, row] of result.ledger.entries()) {
      const brownouts = result.schedule.filter((e) => e.kind === "brownout" && e.board === b);
      const off_s = brownouts.reduce((sum, e) => sum + Math.max(1, e.kind === "brownout" ? (e.off_s ?? 1) : 0), 0);
      const powered = RATE_HZ * (DURATION_s - off_s);
      // Per boot, the first tick comes one period after the start and the unfinished frame at the end is set aside.
      expect(row.recorded, row.board).toBeLessThanOrEqual(powered);
      expect(row.recorded, row.board).toBeGreaterThan(powered - RATE_HZ * 2 * row.boots);
    }
  });

  it("stores no sample twice", () => {
    expect(result.ledger.map((r) => [r.board, r.duplicated])).toEqual(result.ledger.map((r) => [r.board, 0]));
  });

  it("stores nothing the boards did not record, and its sample rows agree with its frames", () => {
    for (const row of result.ledger) {
      expect(row.unexpectedFrames, row.board).toBe(0);
      expect(row.rows - row.duplicated, row.board).toBe(row.storedByFrame);
      expect(row.storedByFrame + row.held + row.reportedLost + row.silentlyLost, row.board).toBe(row.recorded);
    }
  });

  it("loses no sample silently: each is stored or covered by the board's gap message", () => {
    expect(result.ledger.map((r) => [r.board, r.silentlyLost])).toEqual(result.ledger.map((r) => [r.board, 0]));
  });
});
