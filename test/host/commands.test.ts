import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type Bridge } from "../../host/bridge/bridge.ts";
import { DuckDbStore } from "../../host/store/duckdb-store.ts";
import { writeAck } from "../../protocol/wire/ack.ts";
import { CborWriter } from "../../protocol/wire/cbor-writer.ts";
import { parseCommand, type Command } from "../../protocol/wire/command.ts";
import { encode } from "../../scripts/fixtures/messages.ts";
import { code, expectedSamples, frameTime_us, knownBirth, SAMPLES_PER_BLOCK, topicOf } from "./known-frames.ts";
import { mosquittoMissing, skipWithout, startMosquitto, type Service } from "./services.ts";

// A board that answers commands with the firmware's own parser and ack encoder, and whose frames
// 5, 6 and 7 are lost between it and the bridge: the reorder window turns the gap into a
// resend_from, the board resends from there flagged backfill, and every sample ends up stored.

const BOARD = "kb-0";
const BOOT = 77;
const FRAMES = 20;
const DROPPED = new Set([5, 6, 7]);

function frame(seq: number, backfill: boolean): Buffer {
  const block = (channel: number) => Int32Array.from({ length: SAMPLES_PER_BLOCK }, (_, k) => code(0, seq, channel, k));
  return Buffer.from(encode({ b: BOOT, c: [block(0), block(1)], ...(backfill ? { f: 1 } : {}), p: 1000, s: seq, t: frameTime_us(seq), v: 1 }));
}

const skip = skipWithout(mosquittoMissing());

describe.skipIf(skip)("commands and recovery through a real broker", () => {
  let broker: Service;
  let store: DuckDbStore;
  let bridge: Bridge;
  let board: MqttClient;
  const received: Command[] = [];

  beforeAll(async () => {
    broker = await startMosquitto();
    store = new DuckDbStore({ path: ":memory:" });
    await store.open();
    bridge = await startBridge({ brokerUrl: broker.url, store, clientId: "commands-bridge", reorder: { window_ms: 300 }, recoveryTimeout_ms: 5000 });
    board = await mqtt.connectAsync(broker.url, { clientId: "commands-board" });
    board.on("message", (topic, payload) => {
      const parsed = parseCommand(new Uint8Array(payload));
      const w = new CborWriter(512);
      if (!parsed.ok) {
        writeAck(w, { boot: BOOT, id: parsed.id, ok: false, code: parsed.code, message: parsed.message });
      } else {
        received.push(parsed.command);
        const ok = parsed.command.op !== "set_rate" || parsed.command.channel === "c1";
        writeAck(w, { boot: BOOT, id: parsed.command.id, ok, code: ok ? "ok" : "unknown_channel", message: ok ? "" : `no channel "${(parsed.command as { channel: string }).channel}"` });
        if (parsed.command.op === "resend_from") for (let s = parsed.command.seq; s < FRAMES; s++) void board.publishAsync(topicOf(BOARD, "data"), frame(s, true), { qos: 1 });
      }
      void board.publishAsync(topic.replace(/cmd$/, "ack"), Buffer.from(w.bytes()), { qos: 1 });
    });
    await board.subscribeAsync(topicOf(BOARD, "cmd"), { qos: 1 });
    await board.publishAsync(topicOf(BOARD, "birth"), Buffer.from(encode(knownBirth(BOARD, BOOT))), { qos: 1, retain: true });
    for (let seq = 0; seq < FRAMES; seq++) if (!DROPPED.has(seq)) await board.publishAsync(topicOf(BOARD, "data"), frame(seq, false), { qos: 1 });
    const deadline = Date.now() + 20_000;
    while (bridge.stats().framesStored < FRAMES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await bridge.idle();
  });

  afterAll(async () => {
    await bridge?.stop();
    await board?.endAsync(true);
    await store?.close();
    await broker?.stop();
  });

  it("requests the lost frames once the window has passed and stores them from the resend", async () => {
    expect(received.filter((c) => c.op === "resend_from")).toEqual([{ op: "resend_from", id: expect.any(Number), persist: false, b: BOOT, seq: 5 }]);
    const stored = await store.samples({ board: BOARD, channel: "c1", limit: 1_000_000 });
    expect(stored.map((s) => [s.t_us, s.raw, s.value])).toEqual(expectedSamples(0, 0, FRAMES));
    const status = bridge.registry().find((b) => b.board === BOARD)!;
    expect(status.frames).toMatchObject({ received: FRAMES, recoveryRequests: 1 });
    expect(status.frames.duplicated).toBe(FRAMES - 8);
  });

  it("resolves a command with the board's ack, refusals included", async () => {
    const ack = await bridge.sendCommand("rig-K", BOARD, { op: "set_rate", channel: "c1", rate_hz: 20, persist: true });
    expect(ack).toMatchObject({ b: BOOT, ok: true, code: "ok" });
    expect(received[received.length - 1]).toMatchObject({ op: "set_rate", channel: "c1", rate_hz: 20, persist: true, id: ack.id });
    const refused = await bridge.sendCommand("rig-K", BOARD, { op: "set_rate", channel: "zz", rate_hz: 20 });
    expect(refused).toMatchObject({ ok: false, code: "unknown_channel", message: 'no channel "zz"' });
  });

  it("refuses an invalid command before sending it and times out on a silent board", async () => {
    await expect(bridge.sendCommand("rig-K", BOARD, { op: "set_rate", channel: "c1", rate_hz: 5000 })).rejects.toThrow(/set_rate to board "kb-0" is invalid: .*rate_hz/);
    await expect(bridge.sendCommand("rig-K", "kb-silent", { op: "rebirth" }, 300)).rejects.toThrow('board "kb-silent" did not acknowledge command rebirth');
  });

  it("records who acknowledged a raised alarm", async () => {
    const alarm = { b: BOOT, n: 0, t: frameTime_us(3), v: 1, rule: "c1_high", state: "raised", value: 9.5, channel: "c1", threshold: 9 };
    await board.publishAsync(topicOf(BOARD, "alarm"), Buffer.from(encode(alarm)), { qos: 1 });
    const deadline = Date.now() + 5000;
    while (bridge.registry()[0]!.alarms.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const record = await bridge.acknowledgeAlarm(BOARD, "c1/c1_high", "ada");
    expect(record).toMatchObject({ key: "c1/c1_high", state: "raised", acknowledged_by: "ada" });
    expect(bridge.registry()[0]!.alarms[0]).toMatchObject({ acknowledged_by: "ada" });
    expect((await store.alarms({ board: BOARD }))[0]).toMatchObject({ acknowledged_by: "ada", value: 9.5 });
    await expect(bridge.acknowledgeAlarm(BOARD, "c2/none", "ada")).rejects.toThrow('board "kb-0" has no raised alarm "c2/none"');
  });
});
