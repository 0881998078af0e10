import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BoardRegistry } from "../../host/bridge/board-registry.ts";
import type { BridgeEvent } from "../../host/bridge/events.ts";
import { ingest, type IngestContext } from "../../host/bridge/ingest.ts";
import { Quarantine } from "../../host/bridge/quarantine.ts";
import { SequenceTracker } from "../../host/bridge/sequence-tracker.ts";
import { DuckDbStore } from "../../host/store/duckdb-store.ts";
import { encode, makeBirth, makeData } from "../../scripts/fixtures/messages.ts";

const birth = makeBirth();
const topic = (kind: string, board = "cell-07") => `cellrig/v1/rig-A/${board}/${kind}`;

describe("ingest", () => {
  let store: DuckDbStore;
  let ctx: IngestContext;
  let events: BridgeEvent[];

  beforeEach(async () => {
    store = new DuckDbStore({ path: ":memory:" });
    await store.open();
    events = [];
    ctx = {
      store,
      boards: new BoardRegistry(),
      sequences: new SequenceTracker(),
      quarantine: new Quarantine(),
      counts: { received: 0, framesStored: 0, samplesStored: 0, framesHeld: 0, framesResolved: 0, ignored: {} },
      emit: (event) => events.push(event),
    };
  });

  afterEach(() => store.close());

  it("rejects data that arrives before any birth", async () => {
    await ingest(ctx, topic("data"), encode(makeData(birth)));
    expect(ctx.quarantine.countsByCode()).toEqual({ no_birth: 1 });
    expect(await store.samples({ board: "cell-07", channel: "p1" })).toEqual([]);
  });

  it("rejects frames of another boot and births on the wrong topic", async () => {
    await ingest(ctx, topic("birth"), encode(birth));
    await ingest(ctx, topic("data"), encode({ ...makeData(birth), b: 99 }));
    await ingest(ctx, topic("birth", "cell-08"), encode(birth));
    expect(ctx.quarantine.countsByCode()).toEqual({ unknown_boot: 1, topic_mismatch: 1 });
    expect(ctx.quarantine.recent()[1]!.message).toContain('board "cell-07"');
  });

  it("quarantines bad topics and malformed health, and counts kinds it does not handle", async () => {
    await ingest(ctx, "cellrig/v1/rig-A/cell 7/data", encode(makeData(birth)));
    await ingest(ctx, topic("health"), encode({ v: 1 }));
    await ingest(ctx, topic("cmd"), encode({ v: 1, id: 1, op: "rebirth" }));
    expect(ctx.quarantine.countsByCode()).toEqual({ topic: 1, schema: 1 });
    expect(ctx.counts).toMatchObject({ received: 3, ignored: { cmd: 1 } });
  });

  it("treats an empty retained payload as a cleared topic", async () => {
    await ingest(ctx, topic("birth"), new Uint8Array(0));
    await ingest(ctx, topic("death"), new Uint8Array(0));
    expect(ctx.quarantine.countsByCode()).toEqual({});
    expect(events).toEqual([]);
  });

  it("ignores a retained death from an older boot", async () => {
    await ingest(ctx, topic("birth"), encode(birth));
    await ingest(ctx, topic("death"), encode({ b: birth.boot - 1, v: 1 }));
    expect(ctx.boards.get("cell-07")?.online).toBe(true);
    await ingest(ctx, topic("death"), encode({ b: birth.boot, v: 1 }));
    expect(ctx.boards.get("cell-07")?.online).toBe(false);
    expect(events.map((e) => e.type)).toEqual(["birth", "registry", "death", "registry"]);
  });

  it("stores a frame once and reports where its newest sample lies", async () => {
    await ingest(ctx, topic("birth"), encode(birth));
    await ingest(ctx, topic("data"), encode(makeData(birth)));
    await ingest(ctx, topic("data"), encode(makeData(birth)));
    expect(ctx.counts.framesStored).toBe(1);
    expect(await store.samples({ board: "cell-07", channel: "s1" })).toHaveLength(15);
    // s1: 15 samples every 4 ticks from offset 1, the latest of the three channels.
    expect(ctx.boards.get("cell-07")?.lastSample_us).toBe(1_754_000_001_000_000 + (1 + 14 * 4) * 10_000);
  });
});
