import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import { startBoard, syntheticRig, type BoardUnderTest } from "../../scripts/fixtures/board-rig.ts";

// The store's limits, through the built bundle: an outage longer than the flash holds ends in gap
// messages that account for exactly what was dropped, and a reboot in the middle of an outage keeps
// what was in flash and replays it under the boot id it was made in.

describe("an outage longer than the flash holds", () => {
  let broker: EmbeddedBroker;
  let b: BoardUnderTest;

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    b = await startBoard(syntheticRig(broker.port, 8, { store: { flash_bytes: 16384 } }), broker.url);
    await b.run(10);
    b.network.setReachable(false);
    await b.run(300, false);
    b.network.setReachable(true);
    await b.runUntil(() => b.of("gap").length > 0 && b.data().some((d) => d.t > (b.clock.now_s() - 3) * 1e6), 200);
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await broker?.close();
  });

  it("drops the oldest frames and says so with gap messages whose counts match", () => {
    expect(b.board.errors).toEqual([]);
    expect(b.invalid).toEqual([]);
    const frames = b.data();
    const seqs = new Set(frames.map((f) => f.s));
    expect(seqs.size).toBe(frames.length);
    const last = Math.max(...seqs);
    const missing: number[] = [];
    for (let s = 0; s <= last; s++) if (!seqs.has(s)) missing.push(s);
    expect(missing.length).toBeGreaterThan(100);

    const gaps = b.of("gap");
    const t0 = frames.find((f) => f.s === 0)!.t;
    let counted = 0;
    for (const g of gaps) {
      expect(g.reason).toBe("storage");
      expect(g.b).toBe(frames[0]!.b);
      expect(g.samples).toBe(80 * g.frames);
      const seq = g.seq ?? -1;
      for (let k = 0; k < g.frames; k++) expect(seqs.has(seq + k)).toBe(false);
      expect(g.from).toBe(t0 + seq * 1_000_000);
      expect(g.until).toBe(t0 + (seq + g.frames - 1) * 1_000_000 + 900_000);
      counted += g.frames;
    }
    expect(counted).toBe(missing.length);
  });

  it("delivers what it kept in order, and the gap before the frames that follow it", () => {
    const order = b.received.filter((r) => r.kind === "data" || r.kind === "gap");
    const firstGap = order.findIndex((r) => r.kind === "gap");
    const kept = b.data().map((f) => f.s);
    expect(kept).toEqual([...kept].sort((x, y) => x - y));
    const gap = b.of("gap")[0]!;
    const after = order.slice(0, firstGap).filter((r) => r.kind === "data").map((r) => (r.message as { s: number }).s);
    expect(after.every((s) => s < (gap.seq ?? -1))).toBe(true);
  });
});

describe("a reboot in the middle of an outage", () => {
  let broker: EmbeddedBroker;
  let b: BoardUnderTest;

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    b = await startBoard(syntheticRig(broker.port, 8), broker.url);
    await b.run(10);
    b.network.setReachable(false);
    await b.run(60, false);
    b.board.reboot();
    await b.run(60, false);
    b.network.setReachable(true);
    await b.runUntil(() => new Set(b.data().map((d) => d.b)).size === 2 && b.data().some((d) => d.t > (b.clock.now_s() - 3) * 1e6), 200);
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await broker?.close();
  });

  it("replays the first boot's frames from flash with their own boot id, complete and flagged", () => {
    expect(b.board.errors).toEqual([]);
    expect(b.invalid).toEqual([]);
    const frames = b.data();
    const boots = [...new Set(frames.map((f) => f.b))];
    expect(boots.length).toBe(2);
    const first = frames.filter((f) => f.b === boots[0]);
    expect(first.map((f) => f.s)).toEqual(first.map((_, i) => i));
    expect(first.length).toBeGreaterThanOrEqual(69);
    expect(first.filter((f) => f.f === 1).length).toBeGreaterThanOrEqual(59);
    const second = frames.filter((f) => f.b === boots[1]);
    expect(second.map((f) => f.s)).toEqual(second.map((_, i) => i));
    // the first boot's backlog arrives before anything of the second
    expect(frames.findIndex((f) => f.b === boots[1])).toBe(first.length);
    // the frame the first boot was filling when it reset is reported, not silently gone
    expect(b.of("gap")).toEqual([expect.objectContaining({ b: boots[0], reason: "power", seq: first.length, frames: 1 })]);
  });
});
