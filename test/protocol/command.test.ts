// The board's command parser and the host's cmd decoder agree on what a command is and name the
// field at fault. The parser is plain protocol/wire code; messages-roundtrip.test.ts runs it on the
// simulated board as well.
import { describe, expect, it } from "vitest";
import { decodeMessage } from "../../protocol/decode/message.ts";
import { halfToNumber } from "../../protocol/wire/cbor-reader.ts";
import { writeValue } from "../../protocol/wire/cbor-value.ts";
import { CborWriter } from "../../protocol/wire/cbor-writer.ts";
import { parseCommand } from "../../protocol/wire/command.ts";

function encode(value: unknown): Uint8Array {
  const w = new CborWriter(1024);
  writeValue(w, value);
  return w.bytes().slice();
}

describe("parseCommand on the board", () => {
  it("reads every op into a typed command", () => {
    expect(parseCommand(encode({ v: 1, id: 3, op: "set_rate", channel: "p1", rate_hz: 12.5 }))).toEqual({ ok: true, command: { op: "set_rate", id: 3, persist: false, channel: "p1", rate_hz: 12.5 } });
    expect(parseCommand(encode({ v: 1, id: 4, op: "set_threshold", channel: "t1", rule: "t1_high", threshold: 45.25 }))).toEqual({
      ok: true, command: { op: "set_threshold", id: 4, persist: false, channel: "t1", rule: "t1_high", threshold: 45.25 },
    });
    const ntc = { kind: "ntc_beta", code_full_scale: 32767, series_ohm: 10000, ntc_position: "low", r0_ohm: 10000, t0_degC: 25, beta_K: 3950 };
    expect(parseCommand(encode({ v: 1, id: 5, op: "set_calibration", channel: "t1", cal: ntc }))).toEqual({ ok: true, command: { op: "set_calibration", id: 5, persist: false, channel: "t1", cal: ntc } });
    expect(parseCommand(encode({ v: 1, id: 6, op: "resend_from", b: 4294967295, seq: 0 }))).toEqual({ ok: true, command: { op: "resend_from", id: 6, persist: false, b: 4294967295, seq: 0 } });
    expect(parseCommand(encode({ v: 1, id: 7, op: "rebirth", later: [1, 2] }))).toEqual({ ok: true, command: { op: "rebirth", id: 7, persist: false } });
    expect(parseCommand(encode({ v: 1, id: 8, op: "reboot" }))).toEqual({ ok: true, command: { op: "reboot", id: 8, persist: false } });
  });

  it("reads persist, which asks for a change to be stored, and refuses one that is not a boolean", () => {
    expect(parseCommand(encode({ v: 1, id: 10, op: "set_rate", channel: "p1", rate_hz: 2, persist: true }))).toEqual({
      ok: true, command: { op: "set_rate", id: 10, persist: true, channel: "p1", rate_hz: 2 },
    });
    expect(parseCommand(encode({ v: 1, id: 11, op: "set_rate", channel: "p1", rate_hz: 2, persist: 1 }))).toEqual({
      ok: false, id: 11, code: "bad_field", message: "command field /persist must be true or false",
    });
  });

  it("names the field at fault and keeps the id for the ack", () => {
    expect(parseCommand(encode({ v: 1, id: 9, op: "set_rate", channel: "p1" }))).toEqual({ ok: false, id: 9, code: "missing_field", message: "command field /rate_hz is missing" });
    expect(parseCommand(encode({ v: 1, id: 9, op: "set_rate", channel: "p1", rate_hz: 5000 }))).toMatchObject({ ok: false, id: 9, code: "bad_field", message: expect.stringContaining("/rate_hz") });
    expect(parseCommand(encode({ v: 1, id: 9, op: "set_rate", channel: "p 1", rate_hz: 5 }))).toMatchObject({ ok: false, code: "bad_field", message: expect.stringContaining("/channel") });
    expect(parseCommand(encode({ v: 1, id: 9, op: "set_calibration", channel: "p1", cal: { kind: "linear", gain: "2" } }))).toMatchObject({ code: "bad_field", message: expect.stringContaining("/cal/gain") });
    expect(parseCommand(encode({ v: 1, id: 9, op: "format_flash" }))).toMatchObject({ ok: false, id: 9, code: "unknown_op" });
    expect(parseCommand(encode({ v: 2, id: 9, op: "reboot" }))).toMatchObject({ ok: false, id: 9, code: "version" });
    expect(parseCommand(encode({ v: 1, op: "reboot" }))).toMatchObject({ ok: false, id: -1, code: "missing_field" });
    expect(parseCommand(encode([1, 2]))).toMatchObject({ ok: false, id: -1, code: "bad_field" });
    expect(parseCommand(Uint8Array.from([0xa2, 0x61, 0x76, 0x01, 0x61, 0x76, 0x01]))).toMatchObject({ ok: false, code: "cbor", message: expect.stringContaining("repeated") });
  });

  it("reads half, single and double floats exactly", () => {
    expect([0x3c00, 0xc000, 0x0001, 0x03ff, 0x7bff, 0x7c00, 0xfc00].map(halfToNumber)).toEqual([1, -2, 2 ** -24, 1023 * 2 ** -24, 65504, Infinity, -Infinity]);
    expect(halfToNumber(0x7e00)).toBeNaN();
    const payload = Uint8Array.from([0xa4, 0x61, 0x76, 0x01, 0x62, 0x69, 0x64, 0x01, 0x62, 0x6f, 0x70, 0x68, ...Buffer.from("set_rate"), 0x67, ...Buffer.from("rate_hz"), 0xf9, 0x3e, 0x00]);
    expect(parseCommand(Uint8Array.from([...payload.subarray(0, 1).map(() => 0xa5), ...payload.subarray(1), 0x67, ...Buffer.from("channel"), 0x62, 0x70, 0x31]))).toEqual({
      ok: true, command: { op: "set_rate", id: 1, persist: false, channel: "p1", rate_hz: 1.5 },
    });
  });
});

describe("decodeMessage for cmd", () => {
  it("validates against the schema of the command's own op", () => {
    expect(decodeMessage("cmd", encode({ v: 1, id: 1, op: "set_rate", channel: "p1", rate_hz: 0 }))).toMatchObject({ ok: false, error: { code: "schema", path: "/rate_hz" } });
    expect(decodeMessage("cmd", encode({ v: 1, id: 1, op: "resend_from", b: 1 }))).toMatchObject({ ok: false, error: { code: "schema", path: "/seq" } });
    expect(decodeMessage("cmd", encode({ v: 1, id: 1, op: "erase" }))).toMatchObject({ ok: false, error: { code: "unknown_op", path: "/op" } });
    expect(decodeMessage("cmd", encode({ v: 1, id: 1, op: "set_calibration", channel: "p1", cal: { kind: "linear", gain: 2, offset: 0 } }))).toMatchObject({ ok: true });
  });
});

describe("decodeMessage semantic checks of the rarer messages", () => {
  it("a gap ends after it starts and names its first lost frame exactly when frames were lost", () => {
    const gap = { b: 1, v: 1, from: 2000, until: 1000, frames: 0, reason: "sampler", samples: 3 };
    expect(decodeMessage("gap", encode(gap))).toMatchObject({ ok: false, error: { code: "implausible", path: "/until" } });
    expect(decodeMessage("gap", encode({ ...gap, until: 3000, frames: 2 }))).toMatchObject({ ok: false, error: { code: "schema", path: "/seq" } });
    expect(decodeMessage("gap", encode({ ...gap, until: 3000, frames: 2, seq: 7 }))).toMatchObject({ ok: true });
    expect(decodeMessage("gap", encode({ ...gap, until: 3000, reason: "cosmic_ray" }))).toMatchObject({ ok: false, error: { code: "schema", path: "/reason" } });
  });

  it("an ack's code is ok exactly when it is ok", () => {
    const ack = { b: 1, v: 1, id: 3, ok: true, code: "bad_field", message: "" };
    expect(decodeMessage("ack", encode(ack))).toMatchObject({ ok: false, error: { code: "schema", path: "/code" } });
    expect(decodeMessage("ack", encode({ ...ack, code: "ok" }))).toMatchObject({ ok: true });
  });

  it("health figures in use never exceed their totals", () => {
    const health = { b: 1, t: 5, v: 1, up: 9, buf: { used: 17, total: 16 }, err: [], mem: { used: 1, total: 2 }, link: { state: "up", connects: 1 } };
    expect(decodeMessage("health", encode(health))).toMatchObject({ ok: false, error: { code: "implausible", path: "/buf/used" } });
  });

  it("alarms carry finite values", () => {
    const alarm = { b: 1, n: 0, t: 5, v: 1, rule: "r", state: "raised", value: Number.POSITIVE_INFINITY, channel: "p1", threshold: 2 };
    expect(decodeMessage("alarm", encode(alarm))).toMatchObject({ ok: false, error: { code: "schema", path: "/value" } });
  });

  it("data quality and frame flags outside v1's bits are refused", () => {
    const frame = { b: 1, c: [Uint8Array.from([2])], p: 1000, s: 0, t: 0, v: 1 };
    expect(decodeMessage("data", encode({ ...frame, q: [32] }))).toMatchObject({ ok: false, error: { code: "schema", path: "/q/0" } });
    expect(decodeMessage("data", encode({ ...frame, f: 2 }))).toMatchObject({ ok: false, error: { code: "schema", path: "/f" } });
    expect(decodeMessage("data", encode({ ...frame, q: [31], f: 1 }))).toMatchObject({ ok: true });
  });
});
