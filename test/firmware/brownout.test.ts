import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import type { Messages } from "../../protocol/decode/message.ts";
import { START_s, startBoard, syntheticRig, type BoardUnderTest } from "../../scripts/fixtures/board-rig.ts";

// A brown-out takes the store's RAM ring with it. Through the bundle: frames still waiting for the
// broker's acknowledgement (a 2.5 s one-way link delay keeps several in RAM) and a backlog in flash
// from an outage are both there when the supply dips. After the board is back, every frame of the
// old boot has either arrived or lies in a gap the board reported; none is missing silently.

/** The firmware's mark interval (firmware/store/store.ts MARK_EVERY). */
const MARK_EVERY = 64;

describe("a brown-out with frames in RAM and in flash", () => {
  let broker: EmbeddedBroker;
  let b: BoardUnderTest;
  let oldBoot = 0;
  let lastSeq = 0;
  /** Messages received before the brown-out: old-boot frames after these came from the board's flash. */
  let receivedBefore = 0;

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    b = await startBoard(syntheticRig(broker.port, 2), broker.url);
    await b.run(30);
    // an outage: the frames go to flash
    b.network.setReachable(false);
    await b.run(25, false);
    // back, but slow: the flash backlog replays while new frames wait for acknowledgements in RAM
    b.network.setLink({ latency_s: 2.5 });
    b.network.setReachable(true);
    await b.run(12);
    oldBoot = b.board.evaluate("cellrig.header.boot") as number;
    lastSeq = b.board.evaluate("cellrig.header.seq") as number;
    receivedBefore = b.received.length;
    b.board.brownOut(3);
    b.network.setLink(undefined);
    await b.runUntil(() => b.of("gap").some((g) => g.reason === "power") && b.data().some((d) => d.b !== oldBoot && d.s >= 20), 120);
  }, 180_000);

  afterAll(async () => {
    await b?.close();
    await broker?.close();
  });

  it("runs on after the brown-out without errors, under a new boot id", () => {
    expect(b.board.errors).toEqual([]);
    expect(b.invalid).toEqual([]);
    expect(b.board.reboots.map((r) => r.reason)).toEqual(["brown-out"]);
    expect(b.data().some((d) => d.b !== oldBoot)).toBe(true);
  });

  it("every frame of the old boot was delivered or lies in a reported gap", () => {
    const delivered = new Set(b.data().filter((d) => d.b === oldBoot).map((d) => d.s));
    const gaps = b.of("gap").filter((g) => g.b === oldBoot);
    const inGap = (s: number) => gaps.some((g) => g.seq !== undefined && ((s - g.seq) >>> 0) < g.frames);
    const silent: number[] = [];
    for (let s = 0; s <= lastSeq; s++) if (!delivered.has(s) && !inGap(s)) silent.push(s);
    expect(silent).toEqual([]);
    // something was really lost: frames waiting in RAM for their acknowledgement
    expect(lastSeq + 1 - delivered.size).toBeGreaterThan(0);
  });

  it("the power gap is the old boot's, leaves out what flash kept, and reserves at most MARK_EVERY unused numbers", () => {
    const power = b.of("gap").filter((g) => g.reason === "power");
    expect(power.length).toBeGreaterThan(0);
    const fromFlash = b.received
      .slice(receivedBefore)
      .filter((r) => r.kind === "data")
      .map((r) => r.message as Messages["data"])
      .filter((d) => d.b === oldBoot)
      .map((d) => d.s);
    expect(fromFlash.length).toBeGreaterThan(0);
    for (const g of power) {
      expect(g.b).toBe(oldBoot);
      expect(g.samples).toBe(0);
      expect(g.from).toBeGreaterThanOrEqual(START_s * 1e6);
      expect(g.until).toBeGreaterThanOrEqual(g.from);
      for (const s of fromFlash) expect(((s - g.seq!) >>> 0) < g.frames).toBe(false);
    }
    const end = Math.max(...power.map((g) => g.seq! + g.frames));
    expect(end - 1 - lastSeq).toBeLessThanOrEqual(MARK_EVERY);
    expect(end - 1).toBeGreaterThanOrEqual(lastSeq);
  });

  it("the new boot reports the old boot's gap once, and a second reset does not report it again", async () => {
    const before = b.of("gap").filter((g) => g.reason === "power").length;
    const newBoot = b.board.evaluate("cellrig.header.boot") as number;
    b.board.brownOut(2);
    await b.runUntil(() => b.data().some((d) => d.b !== oldBoot && d.b !== newBoot && d.s >= 5), 60);
    const power: Messages["gap"][] = b.of("gap").filter((g) => g.reason === "power");
    expect(power.filter((g) => g.b === oldBoot)).toHaveLength(before);
    // the second boot's own frames at risk are reported under its id
    expect(power.filter((g) => g.b === newBoot).length).toBeGreaterThan(0);
    expect(b.board.errors).toEqual([]);
  }, 120_000);
});

describe("a brown-out while the link is down, and one before it ever came up", () => {
  let broker: EmbeddedBroker;
  let b: BoardUnderTest;
  const boots: { boot: number; lastSeq: number }[] = [];

  function note(): void {
    boots.push({ boot: b.board.evaluate("cellrig.header.boot") as number, lastSeq: b.board.evaluate("cellrig.header.seq") as number });
  }

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    b = await startBoard(syntheticRig(broker.port, 2), broker.url);
    await b.run(10);
    b.network.setReachable(false);
    await b.run(20.5, false);
    note();
    b.board.brownOut(2);
    // the next boot never reaches the broker before its own power loss
    await b.run(15.5, false);
    note();
    b.board.brownOut(2);
    await b.run(5, false);
    b.network.setReachable(true);
    await b.runUntil(() => b.of("gap").filter((g) => g.reason === "power").length >= 2 && b.data().some((d) => !boots.some((o) => o.boot === d.b) && d.s >= 5), 120);
  }, 180_000);

  afterAll(async () => {
    await b?.close();
    await broker?.close();
  });

  it("every frame of both lost boots, the one each was filling included, was delivered or lies in a reported gap", () => {
    expect(b.board.errors).toEqual([]);
    for (const { boot, lastSeq } of boots) {
      const delivered = new Set(b.data().filter((d) => d.b === boot).map((d) => d.s));
      const gaps = b.of("gap").filter((g) => g.b === boot && g.reason === "power");
      const inGap = (s: number) => gaps.some((g) => g.seq !== undefined && ((s - g.seq) >>> 0) < g.frames);
      const silent: number[] = [];
      // lastSeq + 1 was being filled when the power went: its samples were taken
      for (let s = 0; s <= lastSeq + 1; s++) if (!delivered.has(s) && !inGap(s)) silent.push(s);
      expect({ boot, silent }).toEqual({ boot, silent: [] });
      expect(inGap(lastSeq + 1)).toBe(true);
    }
  });
});
