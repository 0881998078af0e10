// Every message kind, encoded on the simulated board by the firmware's encoders (protocol/wire), then
// decoded on the host twice: by decodeMessage (schema and semantic checks) and by plain cbor-x, as a
// consumer with no knowledge of this code would. Commands go the other way as well: written by the
// generic encoder and parsed by the board's own command parser.
import { Decoder } from "cbor-x";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeSamples } from "../../protocol/decode/block.ts";
import { decodeMessage, type DecodableKind } from "../../protocol/decode/message.ts";
import type { Birth } from "../../protocol/schema/birth.ts";
import { GAP_REASONS } from "../../protocol/wire/gap.ts";
import { bootTestBundle, type TestBundle } from "../../scripts/fixtures/board-entry.ts";

const MAX_TIME_us = Number.MAX_SAFE_INTEGER;
const MAX_UINT32 = 4294967295;
/** A decoder with no knowledge of this code: no records, maps as objects, 64-bit integers (times) as numbers. */
const plain = new Decoder({ useRecords: false, mapsAsObjects: true, int64AsNumber: true } as ConstructorParameters<typeof Decoder>[0]);

let board: TestBundle;
beforeAll(async () => {
  board = await bootTestBundle("scripts/fixtures/entries/messages.ts");
});
afterAll(() => board?.close());

function onBoard(name: string, ...args: unknown[]): Uint8Array {
  return board.call(name, ...args) as Uint8Array;
}

function decoded<K extends DecodableKind>(kind: K, bytes: Uint8Array, birth?: Birth) {
  const result = decodeMessage(kind, bytes, { birth });
  if (!result.ok) throw new Error(`${kind}: ${result.error.code}: ${result.error.message}`);
  return result.message;
}

/** CBOR has one zero: the board writes -0 as the integer 0. */
function noNegativeZero(x: number): number {
  return x === 0 ? 0 : x;
}

/** Deterministic codes for one channel: a slow 16-bit signal with ±2 LSB noise, or any int32 for short blocks. */
function codes(seed: number, length: number, wide: boolean): number[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const out: number[] = [];
  const base = Math.floor(next() * 65536) - 32768;
  for (let k = 0; k < length; k++) {
    if (wide) out.push(Math.floor(next() * 4294967296) - 2147483648);
    else out.push(Math.max(-32768, Math.min(32767, base + Math.round(300 * Math.sin(k / 200)) + Math.floor(next() * 5) - 2)));
  }
  return out;
}

const ids = fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/);
const uint32 = fc.oneof(fc.constantFrom(0, MAX_UINT32), fc.nat({ max: MAX_UINT32 }));
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

const channelArb = fc.record({
  length: fc.oneof(fc.constantFrom(1, 4096), fc.integer({ min: 1, max: 4096 })),
  seed: fc.nat(),
  wideCodes: fc.boolean(),
  every: fc.integer({ min: 1, max: 4 }),
  offset: fc.nat({ max: 3 }),
  quality: fc.integer({ min: 0, max: 31 }),
});

const frameArb = fc.record({
  channels: fc.array(channelArb, { minLength: 1, maxLength: 16 }),
  boot: uint32,
  seq: uint32,
  tick_us: fc.constantFrom(1000, 10_000, 100_000),
  time: fc.constantFrom("zero", "latest", "any"),
  anyTime: fc.double({ min: 0, max: 1, noNaN: true }),
  backfill: fc.boolean(),
  lateness_us: fc.oneof(fc.constant(0), fc.nat({ max: 5_000_000 })),
});

type FrameCase = typeof frameArb extends fc.Arbitrary<infer T> ? T : never;

function birthFor(c: FrameCase): Birth {
  return {
    board: "b1", boot: c.boot, rig: "r1", profile: "linux", seq: c.seq, t: 0, tick_us: c.tick_us, v: 1,
    clock: { source: "free", offset_us: 0 }, fw: { version: "0", build: "0" },
    channels: c.channels.map((ch, i) => ({ id: `c${i}`, quantity: "q", unit: "u", sensor: "s", rate_hz: 1e6 / (c.tick_us * ch.every), every: ch.every, cal: { kind: "linear" as const, gain: 1, offset: 0 } })),
  };
}

describe("data frames encoded on the board decode on the host", () => {
  it("round-trips 1–16 channels of 1–4096 samples, every quality flag, extreme times and sequence numbers", () => {
    fc.assert(
      fc.property(frameArb, (c) => {
        // wide int32 codes only in short blocks: 16 × 4096 of them would pass the host's 256 KiB limit
        const samples = c.channels.map((ch) => codes(ch.seed, ch.length, ch.wideCodes && ch.length <= 512));
        const span_us = Math.max(...c.channels.map((ch, i) => (ch.offset + (samples[i]!.length - 1) * ch.every) * c.tick_us));
        const latest = MAX_TIME_us - span_us;
        const t0_us = c.time === "zero" ? 0 : c.time === "latest" ? latest : Math.floor(c.anyTime * latest);
        const header = { boot: c.boot, seq: c.seq, t0_us, tick_us: c.tick_us, flags: c.backfill ? 1 : 0, lateness_us: c.lateness_us };
        const offsets = c.channels.map((ch) => ch.offset);
        const quality = c.channels.map((ch) => ch.quality);
        const bytes = onBoard("data", header, { samples, offsets, quality });

        const frame = decoded("data", bytes, birthFor(c));
        expect([frame.b, frame.s, frame.t, frame.p, frame.v]).toEqual([c.boot, c.seq, t0_us, c.tick_us, 1]);
        expect(frame.f).toBe(c.backfill ? 1 : undefined);
        expect(frame.j).toBe(c.lateness_us > 0 ? c.lateness_us : undefined);
        expect(frame.q).toEqual(quality.some((q) => q !== 0) ? quality : undefined);
        expect(frame.o).toEqual(offsets.some((o) => o !== 0) ? offsets : undefined);
        expect(frame.c.map((block) => Array.from(decodeSamples(block)))).toEqual(samples);

        const other = plain.decode(bytes) as { c: Uint8Array[]; s: number; t: number };
        expect([other.s, other.t]).toEqual([c.seq, t0_us]);
        expect(other.c.map((block) => Array.from(decodeSamples(Uint8Array.from(block))))).toEqual(samples);
      }),
      { numRuns: 40 },
    );
  });

  it("carries the last sequence number of 32 bits and the 0 that follows it", () => {
    const blocks = { samples: [[1, 2, 3]], offsets: [0], quality: [0] };
    const seqs = [MAX_UINT32, (MAX_UINT32 + 1) >>> 0].map((seq) => {
      const bytes = onBoard("data", { boot: 7, seq, t0_us: MAX_TIME_us - 2000, tick_us: 1000, flags: 0, lateness_us: 0 }, blocks);
      return decoded("data", bytes).s;
    });
    expect(seqs).toEqual([4294967295, 0]);
  });
});

describe("the rarer messages encoded on the board decode on the host", () => {
  const time = fc.oneof(fc.constantFrom(0, MAX_TIME_us), fc.nat({ max: MAX_TIME_us }));

  it("alarm", () => {
    fc.assert(
      fc.property(fc.record({ boot: uint32, n: uint32, state: fc.constantFrom("raised" as const, "cleared" as const), channel: ids, rule: ids, value: finite, threshold: finite, t_us: time }), (a) => {
        const bytes = onBoard("alarm", a);
        const expected = { b: a.boot, n: a.n, t: a.t_us, v: 1, rule: a.rule, state: a.state, value: noNegativeZero(a.value), channel: a.channel, threshold: noNegativeZero(a.threshold) };
        expect(decoded("alarm", bytes)).toEqual(expected);
        expect(plain.decode(bytes)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it("gap", () => {
    const gapArb = fc.record({
      boot: uint32, reason: fc.constantFrom(...GAP_REASONS),
      samples: fc.nat({ max: MAX_TIME_us }), frames: fc.oneof(fc.constant(0), uint32), seq: uint32, from_us: time, span_us: fc.nat(),
    });
    fc.assert(
      fc.property(gapArb, (g) => {
        const until_us = Math.min(MAX_TIME_us, g.from_us + g.span_us);
        const bytes = onBoard("gap", { ...g, until_us });
        const expected = { b: g.boot, v: 1, from: g.from_us, until: until_us, frames: g.frames, reason: g.reason, samples: g.samples, ...(g.frames > 0 ? { seq: g.seq } : {}) };
        expect(decoded("gap", bytes)).toEqual(expected);
        expect(plain.decode(bytes)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it("ack", () => {
    const ackArb = fc.oneof(
      fc.record({ boot: uint32, id: uint32, ok: fc.constant(true), code: fc.constant("ok"), message: fc.string({ unit: "binary-ascii", maxLength: 80 }) }),
      fc.record({ boot: uint32, id: fc.oneof(fc.constant(-1), uint32), ok: fc.constant(false), code: fc.constantFrom("bad_field", "unknown_channel", "cbor"), message: fc.string({ unit: "binary-ascii", maxLength: 80 }) }),
    );
    fc.assert(
      fc.property(ackArb, (a) => {
        const bytes = onBoard("ack", a);
        const expected = { b: a.boot, v: 1, ok: a.ok, code: a.code, message: a.message, ...(a.id >= 0 ? { id: a.id } : {}) };
        expect(decoded("ack", bytes)).toEqual(expected);
        expect(plain.decode(bytes)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it("health", () => {
    const flags = fc.subarray(["FIFO_FULL", "BUFFER_FULL", "CALLBACK", "LOW_MEMORY", "MEMORY", "UART_OVERFLOW"]);
    const healthArb = fc.record({
      boot: uint32, t_us: time, uptime_us: time, memTotal: uint32, memFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      bufTotal: fc.nat({ max: 64 }), bufFraction: fc.double({ min: 0, max: 1, noNaN: true }), errors: flags, link: fc.constantFrom("up" as const, "down" as const), connects: uint32,
    });
    fc.assert(
      fc.property(healthArb, (h) => {
        const memUsed = Math.floor(h.memTotal * h.memFraction);
        const bufUsed = Math.floor(h.bufTotal * h.bufFraction);
        const bytes = onBoard("health", { ...h, memUsed, bufUsed });
        const expected = {
          b: h.boot, t: h.t_us, v: 1, up: h.uptime_us, buf: { used: bufUsed, total: h.bufTotal }, err: h.errors,
          mem: { used: memUsed, total: h.memTotal }, link: { state: h.link, connects: h.connects },
        };
        expect(decoded("health", bytes)).toEqual(expected);
        expect(plain.decode(bytes)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it("birth and death", () => {
    const birth: Birth = {
      board: "cell-07", boot: MAX_UINT32, rig: "rig-A", profile: "linux", seq: MAX_UINT32, t: MAX_TIME_us, tick_us: 100_000, v: 1,
      clock: { source: "ntp", offset_us: -1234 }, fw: { version: "0.3.1", build: "a1b2c3d4" },
      channels: Array.from({ length: 16 }, (_, i) => ({
        id: `ch${i}`, quantity: "cell_pressure_pa", unit: "Pa", sensor: "ads1115", rate_hz: 10, every: 1, raw: "i16", cfg: 3735928559,
        cal: { kind: "linear" as const, gain: 31.25 + i / 3, offset: -125000 },
      })),
    };
    const bytes = onBoard("value", birth);
    expect(decoded("birth", bytes)).toEqual(birth);
    expect(plain.decode(bytes)).toEqual(birth);
    expect(decoded("death", onBoard("value", { b: MAX_UINT32, v: 1 }))).toEqual({ b: MAX_UINT32, v: 1 });
  });
});

describe("commands", () => {
  const commandArb = fc.oneof(
    fc.record({ v: fc.constant(1), id: uint32, persist: fc.boolean(), op: fc.constant("set_rate"), channel: ids, rate_hz: fc.double({ min: 1e-3, max: 1000, noNaN: true }) }),
    fc.record({ v: fc.constant(1), id: uint32, persist: fc.boolean(), op: fc.constant("set_threshold"), channel: ids, rule: ids, threshold: finite }),
    fc.record({
      v: fc.constant(1), id: uint32, persist: fc.boolean(), op: fc.constant("set_calibration"), channel: ids,
      cal: fc.record({ kind: fc.constant("linear"), gain: finite, offset: finite }),
    }),
    fc.record({ v: fc.constant(1), id: uint32, persist: fc.boolean(), op: fc.constantFrom("rebirth", "reboot") }),
    fc.record({ v: fc.constant(1), id: uint32, persist: fc.boolean(), op: fc.constant("resend_from"), b: uint32, seq: uint32 }),
  );

  function normalised(value: unknown): unknown {
    return JSON.parse(JSON.stringify(value, (_, v) => (typeof v === "number" ? noNegativeZero(v) : v)));
  }

  it("written by the generic encoder, read by the host decoder and by the board's parser alike", () => {
    fc.assert(
      fc.property(commandArb, (cmd) => {
        const bytes = onBoard("value", cmd);
        const expected = normalised(cmd) as { [key: string]: unknown };
        expect(decoded("cmd", bytes)).toEqual(expected);
        const parsed = normalised(board.call("parseCommand", Array.from(bytes)));
        const { v: _v, ...fields } = expected;
        expect(parsed).toEqual({ ok: true, command: fields });
      }),
      { numRuns: 60 },
    );
  });
});
