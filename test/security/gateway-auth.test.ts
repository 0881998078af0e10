import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultRigFor } from "../../cli/commands/build.ts";
import { loadBoardProfile } from "../../boards/profile.ts";
import { BrokerAccess, HOST_USERNAME } from "../../host/broker/access.ts";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import { CommandKeys, KEY_BYTES, signCommand } from "../../host/bridge/command-keys.ts";
import { CommandSender, encodeCommand } from "../../host/bridge/command-sender.ts";
import { Gateway } from "../../host/gateway/gateway.ts";
import { decodeMessage, type Messages } from "../../protocol/decode/message.ts";
import type { Command } from "../../protocol/schema/command.ts";
import { TAG_BYTES } from "../../protocol/wire/command.ts";
import { buildFirmware } from "../../scripts/build/bundle.ts";
import { simProfile } from "../../sim/board-profile.ts";
import { Ads1115Twin } from "../../sim/chips/ads1115.ts";
import { SimBoard } from "../../sim/runtime/board.ts";
import { VirtualClock } from "../../sim/runtime/clock.ts";
import { connect } from "./support/clients.ts";

// A board on a serial link gets its commands from the gateway as JSON, without the tag: the built
// MDBT42Q bundle in the simulator behind the gateway, which checks each command with the host's key
// for the board (as the bridge's data folder holds it) before passing it on.

const START_s = 1_800_000_000;
const HOST_PASSWORD = "host-secret-gw";

function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

describe("commands to a serial board through the gateway", () => {
  let broker: EmbeddedBroker;
  let host: MqttClient;
  let board: SimBoard;
  let gateway: Gateway;
  let sender: CommandSender;
  const data = mkdtempSync(join(tmpdir(), "cellrig-gw-keys-"));
  const clock = new VirtualClock(START_s);
  const profile = loadBoardProfile("mdbt42q");
  const config = { ...defaultRigFor(profile), board: "mdbt42q" };
  const serial = "mdbt-7";
  const key = new CommandKeys(data).ensure(config.rig, serial);
  const births: Messages["birth"][] = [];
  const acks: Messages["ack"][] = [];
  const log: string[] = [];
  let id = 900;
  let counter = 0;

  const cmdTopic = `cellrig/v1/${config.rig}/${serial}/cmd`;
  const ackOf = (cmdId: number) => acks.find((a) => a.id === cmdId);
  const rate = () => births.at(-1)!.channels[0]!.rate_hz;

  async function run(seconds: number): Promise<void> {
    for (let i = 0; i < seconds * 10; i++) {
      clock.advanceBy(0.1);
      await pause(2);
    }
  }
  async function ackFor(cmdId: number): Promise<Messages["ack"]> {
    for (let i = 0; i < 100 && ackOf(cmdId) === undefined; i++) await run(0.5);
    const ack = ackOf(cmdId);
    if (ack === undefined) throw new Error(`no ack for command ${cmdId}`);
    return ack;
  }
  /** A command signed by hand for the board's current boot unless told otherwise. */
  function signed(fields: Record<string, unknown>, o: { signKey?: Uint8Array; boot?: number; n?: number } = {}): { payload: Uint8Array; id: number } {
    const cmdId = id++;
    const n = o.n ?? (counter = Math.max(counter + 1, Date.now()));
    const payload = encodeCommand({ v: 1, id: cmdId, ...fields, boot: o.boot ?? gateway.board!.boot, n, tag: new Uint8Array(TAG_BYTES) } as unknown as Command);
    signCommand(payload, serial, o.signKey ?? key);
    return { payload, id: cmdId };
  }
  async function deliver(payload: Uint8Array, cmdId: number): Promise<Messages["ack"]> {
    await host.publishAsync(cmdTopic, Buffer.from(payload), { qos: 1 });
    return ackFor(cmdId);
  }

  beforeAll(async () => {
    const access = new BrokerAccess([{ username: HOST_USERNAME, password: HOST_PASSWORD, role: "host" }]);
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0, access });
    host = await connect(broker.url, { username: HOST_USERNAME, password: HOST_PASSWORD, clientId: "t-host" });
    await host.subscribeAsync(`cellrig/v1/${config.rig}/${serial}/+`, { qos: 1 });
    host.on("message", (topic, payload) => {
      const kind = topic.split("/")[4]!;
      if (kind !== "birth" && kind !== "ack") return;
      const decoded = decodeMessage(kind, new Uint8Array(payload));
      if (!decoded.ok) throw new Error(`${kind} does not decode: ${decoded.error.message}`);
      if (kind === "birth") births.push(decoded.message as Messages["birth"]);
      else acks.push(decoded.message as Messages["ack"]);
    });
    // ignoreStorage: as in test/e2e/serial-gateway.test.ts, the bundle runs though it is over the MDBT42Q's room
    const { code } = await buildFirmware({ board: profile, config, ignoreStorage: true });
    board = new SimBoard({ code, profile: simProfile(profile), serial, clock });
    for (const ch of config.channels) if (ch.sensor === "ads1115") board.i2c(ch.bus).attach(new Ads1115Twin(ch.address));
    board.boot();
    gateway = new Gateway({
      serial: board.serialPorts.port("Bluetooth").stream(),
      brokerUrl: broker.url,
      login: { username: HOST_USERNAME, password: HOST_PASSWORD },
      keys: new CommandKeys(data),
      silence_s: 600,
      log: (line) => log.push(line),
    });
    for (let i = 0; i < 60 && births.length === 0; i++) await run(1);
    sender = new CommandSender(async (topic, payload) => void (await host.publishAsync(topic, Buffer.from(payload), { qos: 1 })), (rig, b) =>
      rig === config.rig && b === serial ? { key, boot: gateway.board?.boot } : undefined,
    );
    host.on("message", (topic, payload) => {
      if (topic.endsWith("/ack")) {
        const decoded = decodeMessage("ack", new Uint8Array(payload));
        if (decoded.ok) sender.onAck(serial, decoded.message);
      }
    });
  }, 180_000);

  afterAll(async () => {
    sender?.cancelAll("test over");
    board?.close();
    await gateway?.close();
    await host?.endAsync(true);
    await broker?.close();
    rmSync(data, { recursive: true, force: true });
  });

  it("passes on a command the host signed for the board's boot, and the board carries it out", async () => {
    expect(births.length).toBeGreaterThan(0);
    const before = births.length;
    const acked = sender.send(config.rig, serial, { op: "set_rate", channel: "p1", rate_hz: 5 }, 600_000);
    for (let i = 0; i < 100 && births.length === before; i++) await run(0.5);
    expect(await acked).toMatchObject({ ok: true, code: "ok" });
    expect(rate()).toBe(5);
    expect(board.errors).toEqual([]);
  }, 60_000);

  it("refuses a forged tag, a replayed command, an unsigned one and one for another boot, and none reaches the board", async () => {
    const passed = gateway.counters.commands;
    const forged = signed({ op: "set_rate", channel: "p1", rate_hz: 2 }, { signKey: randomBytes(KEY_BYTES) });
    expect(await deliver(forged.payload, forged.id)).toMatchObject({ ok: false, code: "bad_tag", message: "command not authenticated: bad_tag" });

    const valid = signed({ op: "set_rate", channel: "p1", rate_hz: 4 });
    expect(await deliver(valid.payload, valid.id)).toMatchObject({ ok: true });
    acks.splice(acks.findIndex((a) => a.id === valid.id), 1);
    expect(await deliver(valid.payload, valid.id)).toMatchObject({ ok: false, code: "replayed" });
    const older = signed({ op: "set_rate", channel: "p1", rate_hz: 3 }, { n: counter - 1 });
    expect(await deliver(older.payload, older.id)).toMatchObject({ ok: false, code: "replayed" });

    const unsigned = id++;
    expect(await deliver(encodeCommand({ v: 1, id: unsigned, op: "set_rate", channel: "p1", rate_hz: 2 } as Command), unsigned)).toMatchObject({ ok: false, code: "unsigned" });
    const otherBoot = signed({ op: "set_rate", channel: "p1", rate_hz: 2 }, { boot: (gateway.board!.boot + 1) >>> 0 });
    expect(await deliver(otherBoot.payload, otherBoot.id)).toMatchObject({ ok: false, code: "other_boot" });

    // only the valid command went down the serial link; the board still runs at its rate
    expect(gateway.counters.commands).toBe(passed + 1);
    const births_before = births.length;
    const rebirth = sender.send(config.rig, serial, { op: "rebirth" }, 600_000);
    for (let i = 0; i < 100 && births.length === births_before; i++) await run(0.5);
    expect(await rebirth).toMatchObject({ ok: true });
    expect(rate()).toBe(4);
    expect(log.filter((l) => l.startsWith("refused command"))).toHaveLength(5);
    expect(log.find((l) => l.includes("bad_tag"))).toMatch(new RegExp(`set_rate \\(id ${forged.id}\\) for board ${serial}: bad_tag`));
  }, 120_000);
});
