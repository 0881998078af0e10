import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbStore } from "../../host/store/duckdb-store.ts";
import { startBridgeProcess, type BridgeProcess } from "../../scripts/fixtures/bridge-process.ts";
import { boardId, expectedSamples, knownBirth, knownFrame, topicOf } from "./known-frames.ts";
import { mosquittoMissing, skipWithout, startMosquitto, type Service } from "./services.ts";
import { encode } from "../../scripts/fixtures/messages.ts";

// A bridge killed with SIGKILL at random moments while boards publish, ten times, then restarted:
// every published sample must be stored exactly once. The broker keeps the bridge's session and
// redelivers whatever the bridge had not acknowledged, which it only does after committing.

const BOARDS = 4;
const KILLS = 10;
const FRAME_EVERY_ms = 20;

const skip = skipWithout(mosquittoMissing());

describe.skipIf(skip)("bridge killed during ingest", () => {
  let broker: Service;
  let publisher: MqttClient;
  let dir: string;
  let store: DuckDbStore | undefined;
  let bridge: BridgeProcess | undefined;
  let framesPerBoard = 0;
  let killedAfterFrames: number[] = [];

  beforeAll(async () => {
    broker = await startMosquitto();
    dir = mkdtempSync(join(tmpdir(), "cellrig-kill-"));
    const args = ["--broker", broker.url, "--store", `duckdb:${join(dir, "kill.duckdb")}`, "--client-id", "kill-test"];
    // The first start creates the persistent session; from then on the broker queues for it.
    bridge = await startBridgeProcess(args);
    publisher = await mqtt.connectAsync(broker.url, { clientId: "kill-test-boards" });
    for (let b = 0; b < BOARDS; b++) {
      await publisher.publishAsync(topicOf(boardId(b), "birth"), Buffer.from(encode(knownBirth(boardId(b)))), { qos: 1, retain: true });
    }

    let publishing = true;
    const published = (async () => {
      while (publishing) {
        const seq = framesPerBoard;
        await Promise.all(Array.from({ length: BOARDS }, (_, b) => publisher.publishAsync(topicOf(boardId(b), "data"), Buffer.from(knownFrame(b, seq)), { qos: 1 })));
        framesPerBoard++;
        await new Promise((resolve) => setTimeout(resolve, FRAME_EVERY_ms));
      }
    })();

    for (let kill = 0; kill < KILLS; kill++) {
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 600));
      await bridge.kill();
      killedAfterFrames.push(framesPerBoard);
      bridge = await startBridgeProcess(args);
    }
    publishing = false;
    await published;

    // Wait until the last board's last sample is readable through the bridge, then stop it cleanly.
    const last = expectedSamples(BOARDS - 1, 1, framesPerBoard).at(-1)!;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const response = await fetch(`${bridge.http}/api/samples?board=${boardId(BOARDS - 1)}&channel=c2&from_us=${last[0]}&limit=1`);
      const body = (await response.json()) as { count: number };
      if (body.count === 1) break;
      if (Date.now() > deadline) throw new Error(`the bridge did not store the last frame within 60 s:\n${bridge.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await bridge.stop();
    bridge = undefined;
    store = new DuckDbStore({ path: join(dir, "kill.duckdb") });
    await store.open();
    // Eleven bridge processes start one after another (about 100 s on an idle machine).
  }, 300_000);

  afterAll(async () => {
    await bridge?.kill();
    await store?.close();
    await publisher?.endAsync(true);
    await broker?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("was killed while frames were still arriving", () => {
    expect(killedAfterFrames).toHaveLength(KILLS);
    expect(killedAfterFrames.every((frames) => frames < framesPerBoard)).toBe(true);
  });

  it("stores every published sample exactly once", async () => {
    for (let b = 0; b < BOARDS; b++) {
      for (const [index, channel] of ["c1", "c2"].entries()) {
        const stored = await store!.samples({ board: boardId(b), channel, limit: 1_000_000 });
        const want = expectedSamples(b, index, framesPerBoard);
        expect(stored.length, `board ${boardId(b)} channel ${channel}`).toBe(want.length);
        expect(stored.map((s) => [s.t_us, s.raw, s.value])).toEqual(want);
      }
    }
  });
});
