import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DuckDbStore } from "../../host/store/duckdb-store.ts";
import type { ChannelSamples } from "../../host/store/store.ts";
import type { Data } from "../../protocol/schema/data.ts";
import { makeBirth } from "../../scripts/fixtures/messages.ts";

const birth = makeBirth();
const frame = (seq: number): Data => ({ b: birth.boot, c: [], p: birth.tick_us, s: seq, t: 1_754_000_001_000_000 + seq * 1000, v: 1 });

function channelSamples(seq: number): ChannelSamples[] {
  const t0 = 1_754_000_001_000_000 + seq * 1000;
  return [
    { channel: "p1", t_us: [t0, t0 + 100_000, t0 + 200_000], raw: Int32Array.from([1000, 1003, 998]), value: Float64Array.from([4.3125, 4.3359375, 4.296875]) },
    { channel: "t1", t_us: new Float64Array([t0 + 30_000]), raw: Int32Array.from([2512]), value: Float64Array.from([26.37]) },
  ];
}

describe("DuckDbStore", () => {
  let dir: string;
  let store: DuckDbStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "cellrig-store-"));
    store = new DuckDbStore({ path: join(dir, "nested", "cellrig.duckdb") });
    await store.open();
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("returns the birth's board and channels", async () => {
    await store.writeBirth("rig-A", "cell-07", birth);
    const [board] = await store.boards();
    expect(board).toMatchObject({ board: "cell-07", rig: "rig-A", boot: 305419896, profile: "espruino-wifi", fw: { version: "0.3.1", build: "a1b2c3d4" }, birth_t_us: 1_754_000_000_123_456 });
    expect(board!.channels).toEqual(birth.channels);
    expect((await store.channels("cell-07")).map((c) => c.id)).toEqual(["p1", "t1", "s1"]);
    expect(await store.channels("nobody")).toEqual([]);
  });

  it("round-trips samples with times, raw codes and values", async () => {
    await store.writeBirth("rig-A", "cell-07", birth);
    await store.writeFrame("rig-A", "cell-07", frame(41), channelSamples(41));
    await store.writeFrame("rig-A", "cell-07", frame(42), channelSamples(42));
    const p1 = await store.samples({ board: "cell-07", channel: "p1" });
    const t0 = 1_754_000_001_041_000;
    expect(p1).toEqual([
      { t_us: t0, raw: 1000, value: 4.3125 },
      { t_us: t0 + 1000, raw: 1000, value: 4.3125 },
      { t_us: t0 + 100_000, raw: 1003, value: 4.3359375 },
      { t_us: t0 + 101_000, raw: 1003, value: 4.3359375 },
      { t_us: t0 + 200_000, raw: 998, value: 4.296875 },
      { t_us: t0 + 201_000, raw: 998, value: 4.296875 },
    ]);
    expect(await store.samples({ board: "cell-07", channel: "p1", from_us: t0 + 1000, to_us: t0 + 200_000, limit: 2 })).toEqual([
      { t_us: t0 + 1000, raw: 1000, value: 4.3125 },
      { t_us: t0 + 100_000, raw: 1003, value: 4.3359375 },
    ]);
    expect(await store.latest("cell-07", "t1")).toEqual({ t_us: t0 + 1000 + 30_000, raw: 2512, value: 26.37 });
    expect(await store.latest("cell-07", "s1")).toBeUndefined();
  });

  it("stores a redelivered frame once, before and after a flush", async () => {
    await store.writeFrame("rig-A", "cell-07", frame(41), channelSamples(41));
    await store.writeFrame("rig-A", "cell-07", frame(41), channelSamples(41));
    await store.flush();
    await store.writeFrame("rig-A", "cell-07", frame(41), channelSamples(41));
    expect(await store.samples({ board: "cell-07", channel: "p1" })).toHaveLength(3);
    expect(await store.samples({ board: "cell-07", channel: "t1" })).toHaveLength(1);
  });

  it("stores only the new frames of a batch that repeats some stored ones, across data chunks", async () => {
    // 1500 samples per frame: a frame's rows straddle DuckDB's 2048-row chunks.
    const long = (seq: number): ChannelSamples[] => {
      const t_us = Float64Array.from({ length: 1500 }, (_, k) => 1_754_000_000_000_000 + seq * 1_500_000 + k * 1000);
      const raw = Int32Array.from(t_us, (_, k) => seq * 10_000 + k);
      return [{ channel: "p1", t_us, raw, value: Float64Array.from(raw, (r) => r / 8) }];
    };
    for (const seq of [1, 2, 3]) await store.writeFrame("rig-A", "cell-07", frame(seq), long(seq));
    await store.flush();
    for (const seq of [2, 4, 3, 5]) await store.writeFrame("rig-A", "cell-07", frame(seq), long(seq));
    const stored = await store.samples({ board: "cell-07", channel: "p1", limit: 100_000 });
    const expected = [1, 2, 3, 4, 5].flatMap((seq) => {
      const [channel] = long(seq);
      return Array.from(channel!.t_us, (t_us, k) => ({ t_us, raw: channel!.raw[k]!, value: channel!.value[k]! }));
    });
    expect(stored).toEqual(expected);
  });

  it("keeps data across close and reopen", async () => {
    await store.writeBirth("rig-A", "cell-07", birth);
    await store.writeFrame("rig-A", "cell-07", frame(43), channelSamples(43));
    await store.close();
    store = new DuckDbStore({ path: join(dir, "nested", "cellrig.duckdb") });
    await store.open();
    expect(await store.samples({ board: "cell-07", channel: "p1" })).toHaveLength(3);
    expect((await store.boards()).map((b) => b.board)).toEqual(["cell-07"]);
  });

  it("refuses samples whose arrays disagree in length", async () => {
    const bad: ChannelSamples[] = [{ channel: "p1", t_us: [1, 2], raw: [1], value: [1, 2] }];
    await expect(store.writeFrame("rig-A", "cell-07", frame(44), bad)).rejects.toThrow(/p1.*must match/);
  });
});
