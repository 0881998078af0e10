import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BoardRegistry } from "../../host/bridge/board-registry.ts";
import type { BridgeEvent } from "../../host/bridge/events.ts";
import { ingest, type IngestContext } from "../../host/bridge/ingest.ts";
import { Quarantine } from "../../host/bridge/quarantine.ts";
import { ReorderWindow } from "../../host/bridge/reorder-window.ts";
import { SequenceTracker } from "../../host/bridge/sequence-tracker.ts";
import { DuckDbStore } from "../../host/store/duckdb-store.ts";
import { encode, makeBirth, makeData } from "../../scripts/fixtures/messages.ts";

const birth = makeBirth();
const topic = (kind: string) => `cellrig/v1/rig-A/cell-07/${kind}`;
const alarm = (n: number, state: "raised" | "cleared", t: number) => ({ b: birth.boot, n, t, v: 1, rule: "p1_high", state, value: 250000.5, channel: "p1", threshold: 250000 });
const health = { b: birth.boot, t: birth.t + 60_000_000, v: 1, up: 60_000_000, buf: { used: 3, total: 16 }, err: ["LOW_MEMORY"], mem: { used: 2150, total: 8190 }, link: { state: "up", connects: 2 } };

describe("board registry through ingest", () => {
  let store: DuckDbStore;
  let ctx: IngestContext;
  let events: BridgeEvent[];
  let now_ms: number;
  let rebirths: string[];

  beforeEach(async () => {
    store = new DuckDbStore({ path: ":memory:" });
    await store.open();
    events = [];
    rebirths = [];
    now_ms = 1_754_000_000_200;
    const sequences = new SequenceTracker();
    ctx = {
      store,
      boards: new BoardRegistry(sequences),
      sequences,
      quarantine: new Quarantine(),
      counts: { received: 0, framesStored: 0, samplesStored: 0, framesHeld: 0, framesResolved: 0, ignored: {} },
      emit: (event) => events.push(event),
      now_ms: () => now_ms,
      reorder: new ReorderWindow({ window_ms: 1000 }),
      requestRebirth: (_rig, board) => rebirths.push(board),
    };
  });

  afterEach(() => store.close());

  it("keeps the latest health, firmware and boots, and sends health and registry events", async () => {
    await ingest(ctx, topic("birth"), encode(birth));
    now_ms += 60_000;
    await ingest(ctx, topic("health"), encode(health));
    const [status] = ctx.boards.statuses();
    expect(status).toMatchObject({
      board: "cell-07",
      online: true,
      boot: birth.boot,
      boots: [birth.boot],
      firmware: { version: "0.3.1" },
      lastSeen_ms: now_ms,
      health: { received_ms: now_ms, err: ["LOW_MEMORY"], buf: { used: 3, total: 16 }, mem: { used: 2150, total: 8190 }, link: { state: "up", connects: 2 } },
    });
    // Board time 123.456 ms after the host's at the birth, the same a minute later.
    expect(status!.clock!.offset_us).toBeGreaterThan(-200_000);
    expect(status!.clock!.offset_us).toBeLessThan(0);
    expect(events.map((e) => e.type)).toEqual(["birth", "registry", "health", "registry"]);
  });

  it("raises and clears alarms once each, stores every edge, and ignores an older edge redelivered", async () => {
    await ingest(ctx, topic("birth"), encode(birth));
    await ingest(ctx, topic("alarm"), encode(alarm(0, "raised", birth.t + 1_000_000)));
    expect(ctx.boards.status("cell-07")!.alarms).toMatchObject([{ key: "p1/p1_high", rule: "p1_high", channel: "p1", n: 0, value: 250000.5 }]);
    await ingest(ctx, topic("alarm"), encode(alarm(1, "cleared", birth.t + 2_000_000)));
    await ingest(ctx, topic("alarm"), encode(alarm(0, "raised", birth.t + 1_000_000)));
    expect(ctx.boards.status("cell-07")!.alarms).toEqual([]);
    const stored = await store.alarms({ board: "cell-07" });
    expect(stored.map((a) => [a.n, a.state])).toEqual([
      [1, "cleared"],
      [0, "raised"],
    ]);
    expect(await store.acknowledgeAlarm("cell-07", birth.boot, 0, "ada", 1234)).toBe(true);
    expect((await store.alarms({ board: "cell-07", to_us: birth.t + 1_500_000 }))[0]).toMatchObject({ acknowledged_by: "ada", acknowledged_ms: 1234 });
    expect(events.filter((e) => e.type === "alarm")).toHaveLength(3);
  });

  it("passes acks on as events and asks for a birth when frames name an unknown boot", async () => {
    await ingest(ctx, topic("ack"), encode({ b: 1, v: 1, id: 17, ok: true, code: "ok", message: "" }));
    expect(events).toEqual([{ type: "ack", rig: "rig-A", board: "cell-07", ack: { b: 1, v: 1, id: 17, ok: true, code: "ok", message: "" } }]);
    await ingest(ctx, topic("data"), encode(makeData(birth)));
    await ingest(ctx, topic("birth"), encode(birth));
    await ingest(ctx, topic("data"), encode({ ...makeData(birth), b: 99 }));
    expect(rebirths).toEqual(["cell-07", "cell-07"]);
  });

  it("turns a gap into a resend request after the window, unless the board reported the drop", async () => {
    await ingest(ctx, topic("birth"), encode(birth));
    const seq0 = birth.seq;
    await ingest(ctx, topic("data"), encode(makeData(birth, seq0)));
    await ingest(ctx, topic("gap"), encode({ b: birth.boot, v: 1, seq: seq0 + 1, from: 1, until: 2, frames: 1, reason: "outbox", samples: 24 }));
    await ingest(ctx, topic("data"), encode(makeData(birth, seq0 + 4)));
    await ingest(ctx, topic("data"), encode(makeData(birth, seq0 + 3)));
    expect(ctx.reorder!.due(now_ms + 999)).toEqual([]);
    expect(ctx.reorder!.due(now_ms + 1000)).toEqual([{ kind: "resend", board: "cell-07", boot: birth.boot, from: seq0 + 2, to: seq0 + 2 }]);
    expect(ctx.boards.status("cell-07")!.frames).toMatchObject({ received: 3, duplicated: 0, late: 1, reported: 1 });
  });

  it("counts the frames a later boot reports its predecessor lost at a reset", async () => {
    await ingest(ctx, topic("birth"), encode(birth));
    await ingest(ctx, topic("data"), encode(makeData(birth, birth.seq)));
    const next = { ...birth, boot: birth.boot + 1, seq: 0 };
    await ingest(ctx, topic("birth"), encode(next));
    // the frame that arrived and four that never did
    await ingest(ctx, topic("gap"), encode({ b: birth.boot, v: 1, seq: birth.seq, from: 1, until: 2, frames: 5, reason: "power", samples: 0 }));
    expect(ctx.boards.status("cell-07")!.frames).toMatchObject({ received: 0, reported: 4 });
  });
});
