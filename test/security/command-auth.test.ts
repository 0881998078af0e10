import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import { KEY_BYTES, signCommand } from "../../host/bridge/command-keys.ts";
import { CommandSender, encodeCommand } from "../../host/bridge/command-sender.ts";
import type { Messages } from "../../protocol/decode/message.ts";
import type { Command } from "../../protocol/schema/command.ts";
import { TAG_BYTES } from "../../protocol/wire/command.ts";
import { simProfile } from "../../sim/board-profile.ts";
import { KEY_FILE, provisionedFlash } from "../../sim/provision.ts";
import { loadBoardProfile } from "../../boards/profile.ts";
import { startBoard, syntheticRig, type BoardUnderTest } from "../../scripts/fixtures/board-rig.ts";

// Signed commands through the built bundle on a simulated board holding its key in Storage: the
// host's CommandSender signs, the board's crypto (the simulator's twin of require("crypto")) checks.

const CMD = "cellrig/v1/outage/b1/cmd";

describe("authenticated commands on the board", () => {
  let broker: EmbeddedBroker;
  let b: BoardUnderTest;
  const key = randomBytes(KEY_BYTES);
  let id = 500;
  /** Counters signed by hand follow the clock, as the host's do, so both keep increasing. */
  let counter = 0;
  const sent: Uint8Array[] = [];
  let sender: CommandSender;

  const ackOf = (cmdId: number) => b.of("ack").find((a) => a.id === cmdId);
  const lastBirth = () => b.of("birth").at(-1)!;
  const rateOf = (channel: string) => lastBirth().channels.find((c) => c.id === channel)!.rate_hz;

  async function deliver(payload: Uint8Array, cmdId: number): Promise<Messages["ack"]> {
    const acks = b.of("ack").filter((a) => a.id === cmdId).length;
    await b.publish(CMD, payload);
    await b.runUntil(() => b.of("ack").filter((a) => a.id === cmdId).length > acks, 10);
    const ack = b.of("ack").filter((a) => a.id === cmdId)[acks];
    if (ack === undefined) throw new Error(`no ack for command ${cmdId}`);
    return ack;
  }
  /** A command signed by hand: for `board` with `signKey`, for boot `boot`, with counter `n`. */
  function signed(fields: Record<string, unknown>, o: { board?: string; signKey?: Uint8Array; boot: number; n?: number }): { payload: Uint8Array; id: number } {
    const cmdId = id++;
    const payload = encodeCommand({ v: 1, id: cmdId, ...fields, boot: o.boot, n: o.n ?? (counter = Math.max(counter + 1, Date.now())), tag: new Uint8Array(TAG_BYTES) } as unknown as Command);
    signCommand(payload, o.board ?? "b1", o.signKey ?? key);
    return { payload, id: cmdId };
  }
  /** Sends through the host's CommandSender, as the bridge does, and waits for the board's ack. */
  async function viaSender(request: Parameters<CommandSender["send"]>[2]): Promise<Messages["ack"]> {
    const before = sent.length;
    const done = sender.send("outage", "b1", request, 600_000).catch(() => undefined);
    while (sent.length === before) await new Promise((resolve) => setTimeout(resolve, 1));
    const cmdId = lastId(sent.at(-1)!);
    await b.runUntil(() => ackOf(cmdId) !== undefined, 10);
    sender.onAck("b1", ackOf(cmdId)! as never);
    await done;
    return ackOf(cmdId)!;
  }

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    const config = syntheticRig(broker.port, 2);
    const profile = simProfile(loadBoardProfile(config.board));
    const flash = provisionedFlash(profile, { [KEY_FILE]: new Uint8Array(key) });
    b = await startBoard(config, broker.url, { flash });
    await b.runUntil(() => b.of("birth").length > 0, 30);
    sender = new CommandSender(async (topic, payload) => {
      sent.push(payload);
      await b.publish(topic, payload);
    }, () => ({ key, boot: lastBirth().boot }));
  }, 60_000);

  afterAll(async () => {
    sender?.cancelAll("test over");
    await b?.close();
    await broker?.close();
  });

  it("carries out a command the host signed for this board and boot", async () => {
    const births = b.of("birth").length;
    expect(await viaSender({ op: "set_rate", channel: "s2", rate_hz: 5 })).toMatchObject({ ok: true, code: "ok" });
    await b.runUntil(() => b.of("birth").length > births, 5);
    expect(rateOf("s2")).toBe(5);
  });

  it("refuses an unsigned command, a forged tag and a command signed for another board", async () => {
    const boot = lastBirth().boot;
    const unsigned = id++;
    expect(await deliver(encodeCommand({ v: 1, id: unsigned, op: "set_rate", channel: "s2", rate_hz: 1 } as Command), unsigned)).toMatchObject({ ok: false, code: "unsigned" });
    const forged = signed({ op: "set_rate", channel: "s2", rate_hz: 1 }, { boot, signKey: randomBytes(KEY_BYTES) });
    expect(await deliver(forged.payload, forged.id)).toMatchObject({ ok: false, code: "bad_tag", message: expect.stringContaining("not authenticated") });
    const tampered = signed({ op: "set_rate", channel: "s2", rate_hz: 1 }, { boot });
    // rate_hz is the last member: 1 Hz becomes 3 Hz
    tampered.payload[tampered.payload.length - 1] = 3;
    expect(await deliver(tampered.payload, tampered.id)).toMatchObject({ ok: false, code: "bad_tag" });
    const otherBoard = signed({ op: "set_rate", channel: "s2", rate_hz: 1 }, { boot, board: "b2" });
    expect(await deliver(otherBoard.payload, otherBoard.id)).toMatchObject({ ok: false, code: "bad_tag" });
    expect(rateOf("s2")).toBe(5);
  });

  it("refuses a replayed command and a counter that does not increase", async () => {
    const boot = lastBirth().boot;
    const first = signed({ op: "set_rate", channel: "s2", rate_hz: 4 }, { boot });
    expect(await deliver(first.payload, first.id)).toMatchObject({ ok: true });
    expect(await deliver(first.payload, first.id)).toMatchObject({ ok: false, code: "replayed" });
    const older = signed({ op: "set_rate", channel: "s2", rate_hz: 3 }, { boot, n: counter - 1 });
    expect(await deliver(older.payload, older.id)).toMatchObject({ ok: false, code: "replayed" });
    await b.run(1);
    expect(rateOf("s2")).toBe(4);
  });

  it("refuses, after a reboot, every command signed for the previous boot", async () => {
    const before = lastBirth().boot;
    const kept = signed({ op: "set_rate", channel: "s2", rate_hz: 2 }, { boot: before });
    expect(await viaSender({ op: "reboot" })).toMatchObject({ ok: true });
    await b.runUntil(() => lastBirth().boot !== before, 30);
    expect(lastBirth().boot).not.toBe(before);
    expect(await deliver(kept.payload, kept.id)).toMatchObject({ ok: false, code: "other_boot" });
    // the host signs for the boot of the board's latest birth
    expect(await viaSender({ op: "set_rate", channel: "s2", rate_hz: 2 })).toMatchObject({ ok: true });
  });
});

function lastId(payload: Uint8Array): number {
  // the command's id, as the board reads it
  const text = Buffer.from(payload).toString("latin1");
  const at = text.indexOf("bid") + 3;
  const head = payload[at]!;
  if (head < 24) return head;
  if (head === 0x18) return payload[at + 1]!;
  if (head === 0x19) return (payload[at + 1]! << 8) | payload[at + 2]!;
  return Buffer.from(payload).readUInt32BE(at + 1);
}
