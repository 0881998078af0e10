import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type Bridge } from "../../host/bridge/bridge.ts";
import { PostgresStore } from "../../host/store/postgres-store.ts";
import { encode } from "../../scripts/fixtures/messages.ts";
import { boardId, expectedSamples, knownBirth, knownFrame, topicOf } from "./known-frames.ts";
import { mosquittoMissing, postgresMissing, skipWithout, startMosquitto, startPostgres, type Service } from "./services.ts";

// Two bridges in one MQTT 5 shared-subscription group split one stream of frames between them and
// write to the same PostgreSQL: together they store every sample once.

const BOARDS = 4;
const FRAMES = 100;

const skip = skipWithout(mosquittoMissing(), postgresMissing());

describe.skipIf(skip)("two bridges sharing one subscription", () => {
  let broker: Service;
  let database: Service;
  const stores: PostgresStore[] = [];
  const bridges: Bridge[] = [];
  let boards: MqttClient;

  beforeAll(async () => {
    [broker, database] = await Promise.all([startMosquitto(), startPostgres()]);
    for (const name of ["a", "b"]) {
      const store = new PostgresStore({ url: database.url });
      await store.open();
      stores.push(store);
      bridges.push(await startBridge({ brokerUrl: broker.url, store, clientId: `shared-${name}`, group: "lab" }));
    }
    boards = await mqtt.connectAsync(broker.url, { clientId: "shared-boards" });
    for (let b = 0; b < BOARDS; b++) {
      await boards.publishAsync(topicOf(boardId(b), "birth"), Buffer.from(encode(knownBirth(boardId(b)))), { qos: 1, retain: true });
    }
    for (let seq = 0; seq < FRAMES; seq++) {
      await Promise.all(Array.from({ length: BOARDS }, (_, b) => boards.publishAsync(topicOf(boardId(b), "data"), Buffer.from(knownFrame(b, seq)), { qos: 1 })));
    }
    const stored = () => bridges.reduce((sum, bridge) => sum + bridge.stats().framesStored, 0);
    const deadline = Date.now() + 30_000;
    while (stored() < BOARDS * FRAMES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await Promise.all(bridges.map((bridge) => bridge.idle()));
  });

  afterAll(async () => {
    for (const bridge of bridges) await bridge.stop();
    await boards?.endAsync(true);
    for (const store of stores) await store.close();
    await Promise.all([broker?.stop(), database?.stop()]);
  });

  it("splits the frames between the bridges, each frame to one of them", () => {
    const [a, b] = bridges.map((bridge) => bridge.stats().framesStored);
    expect(a! + b!).toBe(BOARDS * FRAMES);
    // Mosquitto deals a shared subscription's messages round-robin.
    expect(a).toBeGreaterThan(BOARDS * FRAMES * 0.3);
    expect(b).toBeGreaterThan(BOARDS * FRAMES * 0.3);
  });

  it("both bridges know every board from the births, which are not shared", () => {
    for (const bridge of bridges) expect(bridge.boards().map((b) => b.board).sort()).toEqual(Array.from({ length: BOARDS }, (_, b) => boardId(b)));
  });

  it("the database holds every sample once", async () => {
    for (let b = 0; b < BOARDS; b++) {
      for (const [index, channel] of ["c1", "c2"].entries()) {
        const stored = await stores[0]!.samples({ board: boardId(b), channel, limit: 1_000_000 });
        expect(stored.map((s) => [s.t_us, s.raw, s.value]), `${boardId(b)}/${channel}`).toEqual(expectedSamples(b, index, FRAMES));
      }
    }
  });
});
