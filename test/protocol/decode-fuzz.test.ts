// The host decoder and the board's command parser against mutated and random payloads: nothing
// escapes as an exception, every rejection carries a known code, and lengths that claim more than
// the payload holds are refused before anything is built from them.
import { Decoder } from "cbor-x";
import { afterEach, describe, expect, it, vi } from "vitest";
import { decodeMessage, DECODABLE_KINDS, type DecodableKind } from "../../protocol/decode/message.ts";
import { writeAck } from "../../protocol/wire/ack.ts";
import { writeAlarm } from "../../protocol/wire/alarm.ts";
import { writeValue } from "../../protocol/wire/cbor-value.ts";
import { CborWriter } from "../../protocol/wire/cbor-writer.ts";
import { parseCommand } from "../../protocol/wire/command.ts";
import { writeDataFrame } from "../../protocol/wire/data-frame.ts";
import { writeGap } from "../../protocol/wire/gap.ts";
import { writeHealth } from "../../protocol/wire/health.ts";
import { makeBirth } from "../../scripts/fixtures/messages.ts";

const DECODE_CODES = new Set([
  "too_large", "cbor", "too_deep", "schema", "bad_block", "channel_count", "unknown_boot", "implausible",
  "topic_mismatch", "duplicate_channel", "unknown_op",
]);
const COMMAND_CODES = new Set(["cbor", "too_large", "too_deep", "too_many", "version", "missing_field", "bad_field", "unknown_op"]);

/** xorshift32: the same frames on every run, so a failure can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

function encoded(write: (w: CborWriter) => void): Uint8Array {
  const w = new CborWriter(8192);
  write(w);
  return w.bytes().slice();
}

const birth = makeBirth();
const samples = [Int32Array.from([1000, 1003, 998, 1010, 1011, 1009]), Int32Array.from([2500, 2512, 2498]), Int32Array.from([-7, 100000, -2000000, 5])];

/** One valid payload of every kind, as the board (or the host, for cmd) writes them. */
const valid: { kind: DecodableKind; bytes: Uint8Array }[] = [
  { kind: "birth", bytes: encoded((w) => writeValue(w, birth)) },
  { kind: "death", bytes: encoded((w) => writeValue(w, { b: birth.boot, v: 1 })) },
  {
    kind: "data",
    bytes: encoded((w) =>
      writeDataFrame(w, { boot: birth.boot, seq: 41, t0_us: 1_754_000_001_000_000, tick_us: 10_000, flags: 1, lateness_us: 250 }, { samples, counts: [6, 3, 4], offsets: [0, 3, 1], quality: [0, 8, 31] }),
    ),
  },
  { kind: "alarm", bytes: encoded((w) => writeAlarm(w, { boot: 1, n: 2, state: "cleared", channel: "p1", rule: "p1_high", value: 101.5, threshold: 100, t_us: 1_754_000_001_000_000 })) },
  { kind: "gap", bytes: encoded((w) => writeGap(w, { boot: 1, reason: "outbox", samples: 80, frames: 8, seq: 4294967290, from_us: 1_754_000_001_000_000, until_us: 1_754_000_008_900_000 })) },
  { kind: "ack", bytes: encoded((w) => writeAck(w, { boot: 1, id: 77, ok: false, code: "unknown_channel", message: 'no channel "p9" on this board' })) },
  {
    kind: "health",
    bytes: encoded((w) => writeHealth(w, { boot: 1, t_us: 1_754_000_001_000_000, uptime_us: 3_600_000_000, memUsed: 1200, memTotal: 5100, bufUsed: 2, bufTotal: 16, errors: ["FIFO_FULL"], link: "up", connects: 3 })),
  },
  { kind: "cmd", bytes: encoded((w) => writeValue(w, { v: 1, id: 9, op: "set_calibration", channel: "p1", cal: { kind: "linear", gain: 31.25, offset: -125000 } })) },
  { kind: "cmd", bytes: encoded((w) => writeValue(w, { v: 1, id: 10, op: "resend_from", b: 5, seq: 4294967295 })) },
];

/** Heads that claim far more than any payload holds: 4 GB strings, arrays and maps, 64-bit lengths, indefinite ones. */
const LIES = [
  [0x5a, 0xff, 0xff, 0xff, 0xff], [0x7a, 0xff, 0xff, 0xff, 0xff], [0x9a, 0xff, 0xff, 0xff, 0xff], [0xba, 0xff, 0xff, 0xff, 0xff],
  [0x5b, 0, 0, 0, 1, 0, 0, 0, 0], [0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x5f], [0x9f], [0xbf], [0xd8, 77, 0x5a, 0xff, 0xff, 0xff, 0xfe],
];

function mutate(bytes: Uint8Array, random: (n: number) => number): Uint8Array {
  const out = Array.from(bytes);
  const edits = 1 + random(4);
  for (let e = 0; e < edits; e++) {
    const at = random(out.length + 1);
    switch (random(6)) {
      case 0:
        out[at % out.length] = out[at % out.length]! ^ (1 << random(8));
        break;
      case 1:
        out[at % out.length] = random(256);
        break;
      case 2:
        out.splice(at, random(8));
        break;
      case 3:
        out.splice(at, 0, ...Array.from({ length: 1 + random(4) }, () => random(256)));
        break;
      case 4:
        out.splice(at, 0, ...LIES[random(LIES.length)]!);
        break;
      default:
        out.length = Math.min(out.length, at);
    }
  }
  return Uint8Array.from(out);
}

function randomBytes(random: (n: number) => number): Uint8Array {
  return Uint8Array.from({ length: random(64) }, () => random(256));
}

describe("decodeMessage under fuzzing", () => {
  it("the valid payloads decode", () => {
    for (const { kind, bytes } of valid) expect(decodeMessage(kind, bytes, { birth }), kind).toMatchObject({ ok: true });
  });

  it("120,000 mutated and random payloads: no exception, every rejection coded", () => {
    const random = prng(20240601);
    const seen: { [code: string]: number } = {};
    let accepted = 0;
    for (let i = 0; i < 120_000; i++) {
      const source = valid[i % valid.length]!;
      const bytes = i % 6 === 5 ? randomBytes(random) : mutate(source.bytes, random);
      // decoded as its own kind mostly, as another kind sometimes (a payload on the wrong topic)
      const kind = i % 10 === 0 ? DECODABLE_KINDS[random(DECODABLE_KINDS.length)]! : source.kind;
      let result: ReturnType<typeof decodeMessage>;
      try {
        result = decodeMessage(kind, bytes, { birth });
      } catch (err) {
        throw new Error(`decodeMessage threw on ${kind} ${Buffer.from(bytes).toString("hex")}: ${String(err)}`);
      }
      if (result.ok) {
        accepted++;
        continue;
      }
      if (!DECODE_CODES.has(result.error.code) || result.error.message.length === 0) {
        throw new Error(`uncoded rejection ${JSON.stringify(result.error)} of ${kind} ${Buffer.from(bytes).toString("hex")}`);
      }
      seen[result.error.code] = (seen[result.error.code] ?? 0) + 1;
    }
    expect(seen.cbor).toBeGreaterThan(1000);
    expect(seen.schema).toBeGreaterThan(1000);
    expect(accepted).toBeGreaterThan(0);
  });

  it("the board's command parser: 30,000 mutated and random payloads, no exception, every rejection coded", () => {
    const random = prng(77);
    const commands = valid.filter((v) => v.kind === "cmd").map((v) => v.bytes);
    for (let i = 0; i < 30_000; i++) {
      const bytes = i % 5 === 4 ? randomBytes(random) : mutate(commands[i % commands.length]!, random);
      const result = parseCommand(bytes);
      if (!result.ok && (!COMMAND_CODES.has(result.code) || result.message.length === 0)) {
        throw new Error(`uncoded command rejection ${JSON.stringify(result)} of ${Buffer.from(bytes).toString("hex")}`);
      }
    }
  });
});

describe("lengths beyond the payload", () => {
  afterEach(() => vi.restoreAllMocks());

  /** A data frame whose first block head claims 4 GB: `c` array head, then the block. */
  function frameClaiming(head: number[]): Uint8Array {
    const bytes = valid[2]!.bytes;
    const blockAt = bytes.indexOf(0x63, 0) + 2; // "c" key: 61 63, then the array head, then the first block
    return Uint8Array.from([...bytes.subarray(0, blockAt), ...head, ...bytes.subarray(blockAt)]);
  }

  it("a frame claiming a 4 GB byte string, array or map is refused by the scan, before cbor-x sees it", () => {
    const decode = vi.spyOn(Decoder.prototype, "decode");
    const arrayBuffersBefore_B = process.memoryUsage().arrayBuffers;
    for (const [head, what] of [
      [[0x5a, 0xff, 0xff, 0xff, 0xff], "byte string"],
      [[0x9a, 0xff, 0xff, 0xff, 0xff], "array"],
      [[0xba, 0xff, 0xff, 0xff, 0xff], "map"],
      [[0xd8, 77, 0x5a, 0xff, 0xff, 0xff, 0xfe], "byte string"],
      [[0x5b, 0, 0, 0, 1, 0, 0, 0, 0], "byte string"],
    ] as const) {
      const result = decodeMessage("data", frameClaiming([...head]), { birth });
      expect(result).toMatchObject({ ok: false, error: { code: "cbor" } });
      if (!result.ok) expect(result.error.message).toMatch(new RegExp(`${what} at byte \\d+ claims \\d+ .* but only \\d+ .*remain`));
    }
    expect(decode).not.toHaveBeenCalled();
    // nothing near the claimed size was allocated
    expect(process.memoryUsage().arrayBuffers - arrayBuffersBefore_B).toBeLessThan(16 * 2 ** 20);
  });

  it("indefinite lengths, foreign tags and deep nesting are refused with a code", () => {
    const cases: [number[], string][] = [
      [[0xbf, 0x61, 0x62, 0x01, 0xff], "cbor"],
      [[0xd9, 0xdf, 0xff, 0xa0], "cbor"],
      [[...Array(40).fill(0x81), 0x00], "too_deep"],
      [[0xa1, 0x61, 0x62, 0x01, 0x00], "cbor"],
    ];
    for (const [bytes, code] of cases) expect(decodeMessage("death", Uint8Array.from(bytes))).toMatchObject({ ok: false, error: { code } });
  });

  it("the board's reader refuses the same lies with a code, and oversized payloads without reading them", () => {
    expect(parseCommand(Uint8Array.from([0xa1, 0x62, 0x69, 0x64, 0x5a, 0xff, 0xff, 0xff, 0xff]))).toMatchObject({ ok: false, code: "too_large" });
    expect(parseCommand(Uint8Array.from([0xa1, 0x62, 0x69, 0x64, 0x9a, 0xff, 0xff, 0xff, 0xff]))).toMatchObject({ ok: false, code: "cbor" });
    expect(parseCommand(Uint8Array.from([0xa1, 0x62, 0x69, 0x64, 0x5f, 0xff]))).toMatchObject({ ok: false, code: "cbor" });
    expect(parseCommand(Uint8Array.from([...Array(10).fill(0x81), 0x00]))).toMatchObject({ ok: false, code: "too_deep" });
    expect(parseCommand(new Uint8Array(513))).toMatchObject({ ok: false, code: "too_large" });
  });
});
