import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultRigFor } from "../../cli/commands/build.ts";
import { loadBoardProfile } from "../../boards/profile.ts";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import { Gateway } from "../../host/gateway/gateway.ts";
import { decodeMessage, type Messages } from "../../protocol/decode/message.ts";
import { CborWriter } from "../../protocol/wire/cbor-writer.ts";
import { writeValue } from "../../protocol/wire/cbor-value.ts";
import { FRAME_CMD } from "../../protocol/wire/serial-frame.ts";
import { buildFirmware } from "../../scripts/build/bundle.ts";
import { simProfile } from "../../sim/board-profile.ts";
import { Ads1115Twin } from "../../sim/chips/ads1115.ts";
import { SimBoard } from "../../sim/runtime/board.ts";
import { VirtualClock } from "../../sim/runtime/clock.ts";

// The default rig's bundle for the MDBT42Q (ble-uart) runs in the simulator and talks frames over
// its Bluetooth UART to the gateway, which republishes to a real broker; a plain subscriber decodes
// what arrives. A two-minute outage of the serial link is covered by the board's store.

const START_s = 1_800_000_000;
const STEP_s = 0.1;
const ONLINE_s = 30;
const OUTAGE_s = 120;

interface Received {
  kind: string;
  message: unknown;
}

function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function cbor(value: object): Buffer {
  const w = new CborWriter(256);
  writeValue(w, value);
  return Buffer.from(w.bytes());
}

describe("an MDBT42Q board through the serial gateway", () => {
  let broker: EmbeddedBroker;
  let subscriber: MqttClient;
  let board: SimBoard;
  let gateway: Gateway;
  const clock = new VirtualClock(START_s);
  const received: Received[] = [];
  const invalid: string[] = [];
  let cutAt_us = 0;
  let backAt_us = 0;
  const profile = loadBoardProfile("mdbt42q");
  const config = { ...defaultRigFor(profile), board: "mdbt42q" };
  const data = () => received.filter((r) => r.kind === "data").map((r) => r.message as Messages["data"]);
  const of = <K extends keyof Messages>(kind: K) => received.filter((r) => r.kind === kind).map((r) => r.message as Messages[K]);

  async function run(seconds: number): Promise<void> {
    for (let i = 0; i < Math.round(seconds / STEP_s); i++) {
      clock.advanceBy(STEP_s);
      await pause(2);
    }
    await pause(50);
  }

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    subscriber = mqtt.connect(broker.url, { protocolVersion: 4, clean: true });
    await new Promise<void>((resolve, reject) => {
      subscriber.once("connect", () => subscriber.subscribe("cellrig/v1/#", { qos: 1 }, (err) => (err ? reject(err) : resolve())));
      subscriber.once("error", reject);
    });
    subscriber.on("message", (topic, payload) => {
      const kind = topic.split("/")[4]!;
      if (kind === "cmd" || payload.length === 0) return;
      const decoded = decodeMessage(kind as keyof Messages, new Uint8Array(payload));
      if (decoded.ok) received.push({ kind, message: decoded.message });
      else invalid.push(`${kind}: ${decoded.error.code}: ${decoded.error.message}`);
    });
    const { code } = await buildFirmware({ board: profile, config });
    board = new SimBoard({ code, profile: simProfile(profile), serial: "mdbt-1", clock });
    for (const ch of config.channels) if (ch.sensor === "ads1115") board.i2c(ch.bus).attach(new Ads1115Twin(ch.address));
    board.boot();
    gateway = new Gateway({ serial: board.serialPorts.port("Bluetooth").stream(), brokerUrl: broker.url, silence_s: 600 });
    await run(ONLINE_s);

    const port = board.serialPorts.port("Bluetooth");
    cutAt_us = clock.now_s() * 1e6;
    port.setConnected(false);
    await run(OUTAGE_s);
    port.setConnected(true);
    backAt_us = clock.now_s() * 1e6;
    const produced = () => Math.floor(clock.now_s() - START_s) - 1;
    for (let t = 0; t < 300 && new Set(data().map((d) => d.s)).size < produced(); t += 1) await run(1);
  }, 180_000);

  afterAll(async () => {
    board?.close();
    await gateway?.close();
    await subscriber?.endAsync(true);
    await broker?.close();
  });

  it("runs without errors, and every message passes the host's decoder", () => {
    expect(board.errors).toEqual([]);
    expect(invalid).toEqual([]);
    expect(gateway.counters.damaged).toBe(0);
  });

  it("announces the board with its birth, on the topic the birth names", () => {
    const births = of("birth");
    expect(births.length).toBeGreaterThanOrEqual(2);
    expect(births[0]!.profile).toBe("mdbt42q");
    expect(births[0]!.board).toBe(gateway.board?.board);
    expect(births[0]!.channels.map((c) => c.id)).toEqual(["p1"]);
  });

  it("delivers every frame exactly once and in order, across the outage, with no gap message", () => {
    const seqs = data().map((d) => d.s);
    expect(new Set(data().map((d) => d.b)).size).toBe(1);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(seqs.length).toBeGreaterThanOrEqual(ONLINE_s + OUTAGE_s);
    expect(of("gap")).toEqual([]);
  });

  it("flags the frames made while the link was down as backfill", () => {
    const during = data().filter((f) => f.t >= cutAt_us + 20e6 && f.t + 1e6 <= backAt_us);
    expect(during.length).toBeGreaterThan(OUTAGE_s - 30);
    for (const f of during) expect(f.f).toBe(1);
    for (const f of data().filter((f) => f.t + 1e6 <= cutAt_us - 5e6)) expect(f.f ?? 0).toBe(0);
  });

  it("passes commands to the board and acks a broken one on its behalf", async () => {
    const boardId = gateway.board!.board;
    const cmdTopic = `cellrig/v1/${config.rig}/${boardId}/cmd`;
    subscriber.publish(cmdTopic, cbor({ v: 1, id: 41, op: "set_rate", channel: "p1", rate_hz: 20 }), { qos: 1 });
    subscriber.publish(cmdTopic, cbor({ v: 1, id: 42, op: "launch" }), { qos: 1 });
    await pause(100);
    await run(3);
    const acks = of("ack");
    expect(acks.find((a) => a.id === 41)).toMatchObject({ ok: true, code: "ok" });
    expect(acks.find((a) => a.id === 42)).toMatchObject({ ok: false, code: "unknown_op" });
    expect(of("birth").at(-1)!.channels[0]!.rate_hz).toBe(20);
  });

  it("refuses a command frame that is not a checked command, as from a faulty gateway, and keeps running", async () => {
    // the gateway sends only commands it has checked; these frames have a good CRC and bad contents
    gateway["send"](FRAME_CMD, 0, new Uint8Array(Buffer.from('{"v":1,"id":', "latin1")));
    gateway["send"](FRAME_CMD, 0, new Uint8Array(Buffer.from('{"id":43}', "latin1")));
    gateway["send"](FRAME_CMD, 0, new Uint8Array(Buffer.from("null", "latin1")));
    await run(3);
    const refused = of("ack").filter((a) => a.code === "cbor");
    expect(refused.map((a) => a.id)).toEqual([undefined, 43, undefined]);
    expect(refused[0]!.message).toContain('command frame is not a checked command: {"v":1,"id":');
    expect(board.errors).toEqual([]);
  });
});
