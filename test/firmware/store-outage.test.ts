import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import { decodeSamples } from "../../protocol/decode/block.ts";
import { startBoard, syntheticRig, START_s, type BoardUnderTest } from "../../scripts/fixtures/board-rig.ts";

// Acceptance of the store and forward: a simulated 8-channel 10 Hz run through a 10-minute broker
// outage loses no sample. The bundle runs in the simulator, publishes with its own MQTT client to
// an in-process broker, and a plain subscriber counts what arrives by (boot, seq).

const ONLINE_BEFORE_s = 30;
const OUTAGE_s = 600;

describe("a 10-minute outage on an 8-channel 10 Hz rig", () => {
  let broker: EmbeddedBroker;
  let b: BoardUnderTest;
  let cutAt_us = 0;
  let backAt_us = 0;

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    b = await startBoard(syntheticRig(broker.port, 8), broker.url);
    await b.run(ONLINE_BEFORE_s);
    cutAt_us = b.clock.now_s() * 1e6;
    b.network.setReachable(false);
    await b.run(OUTAGE_s, false);
    b.network.setReachable(true);
    backAt_us = b.clock.now_s() * 1e6;
    const produced = () => Math.floor(b.clock.now_s() - START_s) - 1;
    await b.runUntil(() => new Set(b.data().map((d) => d.s)).size >= produced(), 300);
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await broker?.close();
  });

  it("runs without errors and every message passes the host's decoder", () => {
    expect(b.board.errors).toEqual([]);
    expect(b.invalid).toEqual([]);
  });

  it("delivers every frame exactly once, in order, with no gap message", () => {
    const frames = b.data();
    const boots = new Set(frames.map((f) => f.b));
    expect(boots.size).toBe(1);
    const seqs = frames.map((f) => f.s);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(seqs.length).toBeGreaterThanOrEqual(ONLINE_BEFORE_s + OUTAGE_s);
    expect(b.of("gap")).toEqual([]);
  });

  it("flags the frames made while the broker was away as backfill, and only those", () => {
    for (const f of b.data()) {
      const during = f.t >= cutAt_us && f.t + 1e6 <= backAt_us;
      const before = f.t + 1e6 <= cutAt_us;
      if (during) expect(f.f).toBe(1);
      if (before) expect(f.f ?? 0).toBe(0);
    }
    expect(b.data().filter((f) => f.f === 1).length).toBeGreaterThanOrEqual(OUTAGE_s - 1);
  });

  it("carries every sample: 8 channels × 10 per frame, on an unbroken 100 ms grid", () => {
    const frames = b.data();
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i]!;
      expect(f.c.length).toBe(8);
      for (const block of f.c) expect(decodeSamples(block).length).toBe(10);
      if (i > 0) expect(f.t - frames[i - 1]!.t).toBe(1_000_000);
    }
  });
});
