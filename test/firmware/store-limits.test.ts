import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import { startBoard, syntheticRig, type BoardUnderTest } from "../../scripts/fixtures/board-rig.ts";

// The store's limits, through the built bundle: the gap file keeps at most 8 rows (the Storage
// reserve, boards/limits.ts, counts that many) however many resets come before the broker
// acknowledges a gap, without a lost frame going unreported; and a full Storage raises a health flag
// instead of an uncaught error, while the board keeps sampling.

/** The firmware's cap on cellrig.gap (firmware/store/store.ts GAP_ROWS). */
const GAP_ROWS = 8;
const RESETS = 12;

function gapRows(b: BoardUnderTest): number {
  const file = b.flash.get("cellrig.gap");
  return file === undefined ? 0 : (JSON.parse(Buffer.from(file.data).toString("latin1")) as unknown[]).length;
}

describe("resets before the broker acknowledges a gap", () => {
  let broker: EmbeddedBroker;
  let b: BoardUnderTest;
  /** Each boot's id and the last frame it made. */
  const boots: { boot: number; last: number }[] = [];
  let maxRows = 0;

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    b = await startBoard(syntheticRig(broker.port, 2), broker.url);
    await b.run(20);
    // a slow link: a gap's acknowledgement takes seconds, and each reset comes before it
    b.network.setLink({ latency_s: 2.5 });
    for (let k = 0; k < RESETS; k++) {
      // frames at risk in RAM (a mark written this boot), or the gap file at its cap
      await b.runUntil(() => b.flash.get("cellrig.seq") !== undefined || gapRows(b) >= GAP_ROWS, 60);
      await b.run(3);
      maxRows = Math.max(maxRows, gapRows(b));
      boots.push({ boot: b.board.evaluate("cellrig.header.boot") as number, last: b.board.evaluate("cellrig.header.seq") as number });
      b.board.brownOut(1);
      await b.run(1, false);
      maxRows = Math.max(maxRows, gapRows(b));
    }
    b.network.setLink(undefined);
    const lastBoot = () => b.board.evaluate("cellrig.header.boot") as number;
    await b.runUntil(() => gapRows(b) === 0 && b.data().some((d) => d.b === lastBoot() && d.s >= 10), 300);
  }, 600_000);

  afterAll(async () => {
    await b?.close();
    await broker?.close();
  });

  it("keeps cellrig.gap within its rows, and runs on without errors", () => {
    expect(b.board.errors).toEqual([]);
    expect(b.invalid).toEqual([]);
    expect(b.board.reboots).toHaveLength(RESETS);
    // the resets did pile up gaps: more than a row or two waited at some point
    expect(maxRows).toBeGreaterThan(2);
    expect(maxRows).toBeLessThanOrEqual(GAP_ROWS);
    expect(gapRows(b)).toBe(0);
  });

  it("every frame of every boot was delivered or lies in a reported gap", () => {
    const gaps = b.of("gap");
    const silent: string[] = [];
    for (const { boot, last } of boots) {
      const delivered = new Set(b.data().filter((d) => d.b === boot).map((d) => d.s));
      const inGap = (s: number) => gaps.some((g) => g.b === boot && g.seq !== undefined && ((s - g.seq) >>> 0) < g.frames);
      for (let s = 0; s <= last; s++) if (!delivered.has(s) && !inGap(s)) silent.push(`${boot}:${s}`);
    }
    expect(silent).toEqual([]);
    // frames were really lost with the resets
    expect(gaps.some((g) => g.reason === "power")).toBe(true);
  });
});

describe("a full Storage", () => {
  let broker: EmbeddedBroker;
  let b: BoardUnderTest;
  let lastBefore = 0;

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    b = await startBoard(syntheticRig(broker.port, 2), broker.url);
    await b.run(20);
    // another file takes every free byte: the store can open no segment and write no gap file
    expect(b.flash.create("filler", b.flash.largestNewFile_bytes(), false)).toBeDefined();
    b.network.setReachable(false);
    await b.run(20, false);
    lastBefore = b.board.evaluate("cellrig.header.seq") as number;
    b.network.setReachable(true);
    await b.runUntil(() => b.data().some((d) => d.s >= lastBefore + 15), 120);
  }, 300_000);

  afterAll(async () => {
    await b?.close();
    await broker?.close();
  });

  it("raises no uncaught error and keeps sampling and delivering", () => {
    expect(b.board.errors).toEqual([]);
    expect(b.invalid).toEqual([]);
    expect(b.data().some((d) => d.s >= lastBefore + 15)).toBe(true);
  });

  it("reports the failed writes as STORAGE_FULL in health, and the frames it could not keep as a gap", () => {
    const flags = [...b.of("birth").map((m) => (m as { health?: { err: string[] } }).health?.err), ...b.of("health").map((m) => m.err)];
    const flagged = flags.some((err) => err !== undefined && err.includes("STORAGE_FULL"));
    expect(flagged).toBe(true);
    expect(b.of("gap").some((g) => g.reason === "storage" && g.frames > 0)).toBe(true);
  });
});
