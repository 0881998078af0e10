import { encode } from "cbor-x";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import type { Messages } from "../../protocol/decode/message.ts";
import { startBoard, syntheticRig, type BoardUnderTest } from "../../scripts/fixtures/board-rig.ts";

// Command round trips through the bundle: a host publishes each op on the board's cmd topic and the
// board answers with an ack carrying the command's id; persisted changes survive a reboot.

const CMD = "cellrig/v1/outage/b1/cmd";

describe("commands to the board", () => {
  let broker: EmbeddedBroker;
  let b: BoardUnderTest;
  let id = 100;

  const ackOf = (cmdId: number) => b.of("ack").find((a) => a.id === cmdId);
  async function send(fields: Record<string, unknown>): Promise<Messages["ack"]> {
    const cmdId = id++;
    await b.publish(CMD, encode({ v: 1, id: cmdId, ...fields }));
    await b.runUntil(() => ackOf(cmdId) !== undefined, 10);
    const ack = ackOf(cmdId);
    if (ack === undefined) throw new Error(`no ack for command ${cmdId} (${JSON.stringify(fields)})`);
    return ack;
  }
  const stored = () => {
    const text = b.board.evaluate(`JSON.stringify(require("Storage").readJSON("cellrig.json", true))`);
    return text === undefined ? undefined : JSON.parse(String(text));
  };
  const lastBirth = () => b.of("birth").at(-1)!;

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    b = await startBoard(syntheticRig(broker.port, 2, { alarms: [{ name: "s1_high", channel: "s1", kind: "high", threshold: 5 }] }), broker.url);
    await b.runUntil(() => b.of("birth").length > 0, 30);
  }, 60_000);

  afterAll(async () => {
    await b?.close();
    await broker?.close();
  });

  it("set_rate changes the channel's rate and announces it in a new birth", async () => {
    const births = b.of("birth").length;
    expect(await send({ op: "set_rate", channel: "s2", rate_hz: 5 })).toMatchObject({ ok: true, code: "ok" });
    await b.runUntil(() => b.of("birth").length > births, 5);
    expect(lastBirth().channels.find((c) => c.id === "s2")!.rate_hz).toBe(5);
    expect(stored()).toBeUndefined();
  });

  it("set_threshold and set_calibration are acknowledged; an unknown rule or channel is rejected by name", async () => {
    expect(await send({ op: "set_threshold", channel: "s1", rule: "s1_high", threshold: 6 })).toMatchObject({ ok: true, code: "ok" });
    expect(await send({ op: "set_threshold", channel: "s1", rule: "nope", threshold: 6 })).toMatchObject({ ok: false, code: "rejected", message: 'channel "s1" has no alarm rule "nope"' });
    expect(await send({ op: "set_calibration", channel: "s2", cal: { kind: "linear", gain: 0.0002, offset: 1 } })).toMatchObject({ ok: true });
    expect(lastBirth().channels.find((c) => c.id === "s2")!.cal).toEqual({ kind: "linear", gain: 0.0002, offset: 1 });
    expect(await send({ op: "set_rate", channel: "s9", rate_hz: 5 })).toMatchObject({ ok: false, message: expect.stringContaining('channel "s9" is not on this board') });
  });

  it("rebirth and resend_from are acknowledged; malformed commands get the parser's code", async () => {
    const births = b.of("birth").length;
    expect(await send({ op: "rebirth" })).toMatchObject({ ok: true });
    await b.runUntil(() => b.of("birth").length > births, 5);
    expect(b.of("birth").length).toBe(births + 1);
    expect(await send({ op: "resend_from", b: lastBirth().boot, seq: 0 })).toMatchObject({ ok: true });
    expect(await send({ op: "dance" })).toMatchObject({ ok: false, code: "unknown_op" });
    expect(await send({ op: "set_rate", channel: "s1", rate_hz: 5, persist: "yes" })).toMatchObject({ ok: false, code: "bad_field" });
  });

  it("with persist, writes the change to cellrig.json before the ack", async () => {
    expect(await send({ op: "set_rate", channel: "s1", rate_hz: 2, persist: true })).toMatchObject({ ok: true });
    expect(await send({ op: "set_threshold", channel: "s1", rule: "s1_high", threshold: 7.5, persist: true })).toMatchObject({ ok: true });
    const config = stored();
    expect(config.channels[0].rate_hz).toBe(2);
    expect(config.alarms[0].threshold).toBe(7.5);
    // changes made without persist are in force, so they are written along with the next persisted one
    expect(config.channels[1].rate_hz).toBe(5);
  });

  it("reboot is acknowledged, then the board restarts with the persisted configuration", async () => {
    const before = lastBirth().boot;
    expect(await send({ op: "reboot" })).toMatchObject({ ok: true });
    await b.runUntil(() => lastBirth().boot !== before, 20);
    expect(b.board.reboots.map((r) => r.reason)).toEqual(["E.reboot"]);
    const birth = lastBirth();
    expect(birth.boot).not.toBe(before);
    expect(birth.channels.map((c) => c.rate_hz)).toEqual([2, 5]);
    expect(birth.channels[1]!.cal).toEqual({ kind: "linear", gain: 0.0002, offset: 1 });
    expect(b.board.errors).toEqual([]);
    expect(b.invalid).toEqual([]);
  });
});
