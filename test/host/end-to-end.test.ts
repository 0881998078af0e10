import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startBridge, type Bridge } from "../../host/bridge/bridge.ts";
import type { LiveSamples } from "../../host/bridge/events.ts";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import { DuckDbStore } from "../../host/store/duckdb-store.ts";
import { startWebServer, type WebServer } from "../../host/web/server.ts";
import { deltaEncode, encode, makeBirth, P1_CODES, S1_CODES, T1_CODES } from "../../scripts/fixtures/messages.ts";

const RIG = "rig-A";
const BOARD = "cell-07";
const topic = (kind: string) => `cellrig/v1/${RIG}/${BOARD}/${kind}`;
const birth = makeBirth();
const SEQS = [41, 42, 43, 44];
const T0_US = 1_754_000_001_000_000;

/** Frame `seq`: codes shifted by seq so every frame differs; p1 delta-coded, t1 and s1 as typed arrays. */
function frameCodes(seq: number): number[][] {
  return [P1_CODES.map((c) => Math.max(-32768, Math.min(32767, c + seq))), T1_CODES.map((c) => c - seq), S1_CODES.map((c) => (c === 2147483647 ? c : c + seq))];
}

function frame(seq: number) {
  const [p1, t1, s1] = frameCodes(seq);
  return { b: birth.boot, c: [deltaEncode(p1!), new Int16Array(t1!), new Int32Array(s1!)], j: 120, o: [0, 3, 1], p: birth.tick_us, s: seq, t: T0_US + (seq - 41) * 1_000_000, v: 1 };
}

/** What the store must hold for one channel: every published sample, in time order, through the calibration. */
function expected(channelIndex: number) {
  const channel = birth.channels[channelIndex]!;
  const cal = channel.cal;
  if (cal.kind !== "linear") throw new Error(`fixture channel ${channel.id} has a ${cal.kind} calibration; this check expects linear`);
  const offset = [0, 3, 1][channelIndex]!;
  return SEQS.flatMap((seq) =>
    frameCodes(seq)[channelIndex]!.map((raw, k) => ({
      t_us: T0_US + (seq - 41) * 1_000_000 + (offset + k * channel.every) * birth.tick_us,
      raw,
      value: cal.gain * raw + cal.offset,
    })),
  ).sort((a, b) => a.t_us - b.t_us);
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

describe("board → broker → bridge → DuckDB → web", () => {
  let dir: string;
  let store: DuckDbStore;
  let broker: EmbeddedBroker;
  let boardClient: MqttClient;
  let bridge: Bridge;
  let web: WebServer;
  let socket: WebSocket;
  let firstLive: Promise<LiveSamples>;
  const onSampleFrames: number[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cellrig-e2e-"));
    store = new DuckDbStore({ path: join(dir, "cellrig.duckdb") });
    await store.open();
    broker = await startEmbeddedBroker({ port: 0 });
    boardClient = await mqtt.connectAsync(broker.url, {
      will: { topic: topic("death"), payload: Buffer.from(encode({ b: birth.boot, v: 1 })), qos: 1, retain: true },
    });
    // Published before the bridge exists: it must arrive as the retained birth.
    await boardClient.publishAsync(topic("birth"), Buffer.from(encode(birth)), { qos: 1, retain: true });

    bridge = await startBridge({ brokerUrl: broker.url, store, mqttVersion: 4, onSample: (s) => onSampleFrames.push(s.seq) });
    web = await startWebServer({ host: "127.0.0.1", port: 0, bridge, store });
    socket = new WebSocket(`${web.url.replace("http", "ws")}/live`);
    firstLive = new Promise((resolve) => {
      socket.on("message", (data) => {
        const event = JSON.parse(String(data));
        if (event.type === "samples") resolve(event);
      });
    });
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    await until(() => bridge.boards().length === 1, "the retained birth");

    for (const seq of SEQS) await boardClient.publishAsync(topic("data"), Buffer.from(encode(frame(seq))), { qos: 1 });
    await boardClient.publishAsync(topic("data"), Buffer.from(encode(frame(42))), { qos: 1 });
    await boardClient.publishAsync(topic("data"), Buffer.from([0xa1, 0x61, 0x62]), { qos: 1 });
    await until(() => bridge.stats().received >= SEQS.length + 3, "every published message");
    await bridge.idle();
  });

  afterAll(async () => {
    socket?.close();
    await web?.close();
    await bridge?.stop();
    await boardClient?.endAsync(true);
    await broker?.close();
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("stores exactly the published samples, converted with the calibration", async () => {
    for (const [index, channel] of birth.channels.entries()) {
      const stored = await store.samples({ board: BOARD, channel: channel.id });
      const want = expected(index);
      expect(stored.map((s) => [s.t_us, s.raw])).toEqual(want.map((s) => [s.t_us, s.raw]));
      stored.forEach((s, i) => expect(s.value).toBeCloseTo(want[i]!.value, 9));
    }
  });

  it("counts the duplicate and quarantines the broken frame", () => {
    const stats = bridge.stats();
    expect(stats.framesStored).toBe(4);
    expect(stats.samplesStored).toBe(4 * (P1_CODES.length + T1_CODES.length + S1_CODES.length));
    expect(stats.rejected).toEqual({ cbor: 1 });
    expect(stats.sequences).toEqual([{ board: BOARD, boot: birth.boot, frames: 4, missing: 0, duplicates: 1, late: 0, reported: 0, next: 45 }]);
    expect(bridge.rejections()[0]).toMatchObject({ topic: topic("data"), code: "cbor", bytes: 3, head_hex: "a16162" });
    expect(onSampleFrames).toEqual(SEQS);
  });

  it("answers /api/boards with the board, its channels and their latest values", async () => {
    const { status, body } = await getJson(`${web.url}/api/boards`);
    expect(status).toBe(200);
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({ board: BOARD, rig: RIG, boot: birth.boot, profile: "espruino-wifi", online: true });
    expect(body[0].channels.map((c: { id: string; unit: string }) => [c.id, c.unit])).toEqual([["p1", "kPa"], ["t1", "degC"], ["s1", "N/m"]]);
    const latestT1 = expected(1).at(-1)!;
    expect(body[0].channels[1].latest.t_us).toBe(latestT1.t_us);
    expect(body[0].channels[1].latest.value).toBeCloseTo(latestT1.value, 9);
  });

  it("answers /api/samples with a time window and rejects bad queries", async () => {
    const want = expected(0);
    const from_us = want[2]!.t_us;
    const to_us = want[9]!.t_us;
    const { status, body } = await getJson(`${web.url}/api/samples?board=${BOARD}&channel=p1&from_us=${from_us}&to_us=${to_us}&limit=5`);
    expect(status).toBe(200);
    expect(body.count).toBe(5);
    expect(body.t_us).toEqual(want.slice(2, 7).map((s) => s.t_us));
    expect(body.raw).toEqual(want.slice(2, 7).map((s) => s.raw));
    body.value.forEach((v: number, i: number) => expect(v).toBeCloseTo(want[2 + i]!.value, 9));

    const bad = await getJson(`${web.url}/api/samples?board=${BOARD}&channel=p1&limit=lots`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('"limit"');
    expect((await getJson(`${web.url}/api/nothing`)).status).toBe(404);
  });

  it("serves the live page", async () => {
    const response = await fetch(`${web.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("cellrig live");
  });

  it("delivers live samples over the WebSocket", async () => {
    const live = await firstLive;
    expect(live).toMatchObject({ board: BOARD, rig: RIG, boot: birth.boot, seq: 41 });
    const t1 = live.channels.find((c) => c.channel === "t1")!;
    expect(t1.unit).toBe("degC");
    expect(t1.raw).toEqual(frameCodes(41)[1]);
    t1.value.forEach((v, k) => expect(v).toBeCloseTo(0.01 * frameCodes(41)[1]![k]! + 1.25, 9));
  });

  it("marks the board offline on its death", async () => {
    await boardClient.publishAsync(topic("death"), Buffer.from(encode({ b: birth.boot, v: 1 })), { qos: 1, retain: true });
    await until(() => bridge.boards()[0]?.online === false, "the death to be handled");
    expect((await getJson(`${web.url}/api/boards`)).body[0].online).toBe(false);
  });
});
