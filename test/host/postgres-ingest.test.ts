import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type Bridge } from "../../host/bridge/bridge.ts";
import { PostgresStore } from "../../host/store/postgres-store.ts";
import { encode } from "../../scripts/fixtures/messages.ts";
import { boardId, expectedSamples, knownBirth, knownFrame, topicOf } from "./known-frames.ts";
import { mosquittoMissing, postgresMissing, skipWithout, startMosquitto, startPostgres, type Service } from "./services.ts";

// A simulated run of several boards through a real Mosquitto into a real PostgreSQL: what the store
// returns must be exactly the samples the boards sent, each once, in time order.

const BOARDS = 4;
const FRAMES = 50;

const skip = skipWithout(mosquittoMissing(), postgresMissing());

describe.skipIf(skip)("boards → Mosquitto → bridge → PostgreSQL", () => {
  let broker: Service;
  let database: Service;
  let store: PostgresStore;
  let bridge: Bridge;
  let boards: MqttClient;

  beforeAll(async () => {
    [broker, database] = await Promise.all([startMosquitto(), startPostgres()]);
    store = new PostgresStore({ url: database.url });
    await store.open();
    bridge = await startBridge({ brokerUrl: broker.url, store, clientId: "pg-ingest" });
    boards = await mqtt.connectAsync(broker.url, { clientId: "pg-ingest-boards" });
    for (let b = 0; b < BOARDS; b++) {
      await boards.publishAsync(topicOf(boardId(b), "birth"), Buffer.from(encode(knownBirth(boardId(b)))), { qos: 1, retain: true });
    }
    for (let seq = 0; seq < FRAMES; seq++) {
      await Promise.all(Array.from({ length: BOARDS }, (_, b) => boards.publishAsync(topicOf(boardId(b), "data"), Buffer.from(knownFrame(b, seq)), { qos: 1 })));
    }
    // One frame twice, as a QoS 1 redelivery would bring it.
    await boards.publishAsync(topicOf(boardId(0), "data"), Buffer.from(knownFrame(0, 7)), { qos: 1 });
    const deadline = Date.now() + 30_000;
    while (bridge.stats().received < BOARDS * (FRAMES + 1) + 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await bridge.idle();
  });

  afterAll(async () => {
    await bridge?.stop();
    await boards?.endAsync(true);
    await store?.close();
    await Promise.all([broker?.stop(), database?.stop()]);
  });

  it("stored the run, acknowledged it after committing, and rejected nothing", () => {
    const stats = bridge.stats();
    expect(stats.framesStored).toBe(BOARDS * FRAMES);
    expect(stats.rejected).toEqual({});
    expect(stats.faults.flush).toBe(0);
    expect(stats.acked).toBe(stats.received);
  });

  it("reads back exactly the samples the boards sent, calibrated, each once", async () => {
    expect((await store.boards()).map((b) => b.board).sort()).toEqual(Array.from({ length: BOARDS }, (_, b) => boardId(b)));
    for (let b = 0; b < BOARDS; b++) {
      for (const [index, channel] of ["c1", "c2"].entries()) {
        const stored = await store.samples({ board: boardId(b), channel, limit: 1_000_000 });
        expect(stored.map((s) => [s.t_us, s.raw, s.value]), `${boardId(b)}/${channel}`).toEqual(expectedSamples(b, index, FRAMES));
      }
    }
  });

  it("restores the births a restarted bridge needs", async () => {
    const restored = await store.births();
    expect(restored.map((r) => r.birth)).toEqual(Array.from({ length: BOARDS }, (_, b) => knownBirth(boardId(b))));
    expect(restored.every((r) => r.rig === "rig-K")).toBe(true);
  });
});
