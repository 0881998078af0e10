import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countSamples, decodeSamples, readBlock } from "../../protocol/decode/block.ts";
import { decodeMessage, MAX_PAYLOAD_BYTES } from "../../protocol/decode/message.ts";
import { toPhysical } from "../../protocol/decode/physical.ts";
import { sampleTimes_us } from "../../protocol/decode/sample-times.ts";
import { formTopic, parseTopic } from "../../protocol/schema/topics.ts";
import { deltaEncode, encode, makeBirth, makeData, P1_CODES, S1_CODES, T1_CODES } from "../../scripts/fixtures/messages.ts";

function errorOf(result: { ok: boolean; error?: { code: string; message: string; path?: string } }) {
  expect(result.ok).toBe(false);
  return result.error!;
}

describe("decodeMessage: valid messages", () => {
  it("decodes a birth with every field intact", () => {
    const birth = makeBirth();
    const result = decodeMessage("birth", encode(birth), { topic: { rig: "rig-A", board: "cell-07", kind: "birth" } });
    expect(result).toEqual({ ok: true, message: birth });
  });

  it("decodes a data frame with a delta block and typed arrays", () => {
    const birth = makeBirth();
    const result = decodeMessage("data", encode(makeData(birth)), { birth });
    if (!result.ok) throw new Error(result.error.message);
    const frame = result.message;
    expect([frame.b, frame.s, frame.t, frame.p, frame.f, frame.j]).toEqual([305419896, 41, 1_754_000_001_000_000, 10_000, 1, 250]);
    expect(frame.o).toEqual([0, 3, 1]);
    expect(frame.q).toEqual([0, 8, 2]);
    expect(frame.c[0]).toBeInstanceOf(Uint8Array);
    expect(frame.c[1]).toBeInstanceOf(Int16Array);
    expect(frame.c[2]).toBeInstanceOf(Int32Array);
    expect(Array.from(decodeSamples(frame.c[0]!))).toEqual(P1_CODES);
    expect(Array.from(decodeSamples(frame.c[1]!))).toEqual(T1_CODES);
    expect(Array.from(decodeSamples(frame.c[2]!))).toEqual(S1_CODES);
  });

  it("decodes a death", () => {
    expect(decodeMessage("death", encode({ b: 4000000001, v: 1 }))).toEqual({ ok: true, message: { b: 4000000001, v: 1 } });
  });

  it("ignores unknown keys", () => {
    const result = decodeMessage("death", encode({ b: 9, v: 1, later: "field" }));
    expect(result.ok).toBe(true);
  });
});

describe("decodeMessage: bad input is an error, never a throw", () => {
  it("names the field of a wrong type", () => {
    const birth = makeBirth() as unknown as { boot: unknown };
    birth.boot = "twelve";
    const error = errorOf(decodeMessage("birth", encode(birth)));
    expect(error.code).toBe("schema");
    expect(error.path).toBe("/boot");
    expect(error.message).toContain("/boot");
  });

  it("names a nested field of a wrong type", () => {
    const birth = makeBirth() as unknown as { channels: { cal: { gain: unknown } }[] };
    birth.channels[1]!.cal.gain = "0.01";
    const error = errorOf(decodeMessage("birth", encode(birth)));
    expect(error).toMatchObject({ code: "schema", path: "/channels/1/cal/gain" });
  });

  it("names a missing field", () => {
    const birth = makeBirth() as Partial<ReturnType<typeof makeBirth>>;
    delete birth.tick_us;
    expect(errorOf(decodeMessage("birth", encode(birth)))).toMatchObject({ code: "schema", path: "/tick_us" });
    const frame = makeData(makeBirth()) as Partial<ReturnType<typeof makeData>>;
    delete frame.p;
    const error = errorOf(decodeMessage("data", encode(frame)));
    expect(error).toMatchObject({ code: "schema", path: "/p" });
    expect(error.message).toContain("missing");
  });

  it("rejects a block that is neither a byte string nor a typed array", () => {
    const frame = { ...makeData(makeBirth()), c: [[1, 2, 3]] };
    expect(errorOf(decodeMessage("data", encode(frame)))).toMatchObject({ code: "schema", path: "/c/0" });
  });

  it("rejects a wrong protocol version", () => {
    expect(errorOf(decodeMessage("death", encode({ b: 1, v: 2 })))).toMatchObject({ code: "schema", path: "/v" });
  });

  it("rejects integers outside 32 bits and non-finite calibration", () => {
    expect(errorOf(decodeMessage("death", encode({ b: 4294967296, v: 1 })))).toMatchObject({ code: "schema", path: "/b" });
    const birth = makeBirth();
    birth.channels[2]!.cal = { kind: "linear", gain: 0.0025, offset: Number.NaN };
    expect(errorOf(decodeMessage("birth", encode(birth)))).toMatchObject({ code: "schema", path: "/channels/2/cal/offset" });
  });

  it("rejects truncated CBOR", () => {
    const bytes = encode(makeBirth());
    expect(errorOf(decodeMessage("birth", bytes.subarray(0, bytes.length - 7))).code).toBe("cbor");
  });

  it("rejects trailing bytes after the map", () => {
    const bytes = encode({ b: 1, v: 1 });
    expect(errorOf(decodeMessage("death", Buffer.concat([bytes, Buffer.from([0x01])]))).code).toBe("cbor");
  });

  it("rejects an empty payload and a payload that is not a map", () => {
    expect(errorOf(decodeMessage("death", new Uint8Array(0))).code).toBe("cbor");
    expect(errorOf(decodeMessage("death", encode([1, 2])))).toMatchObject({ code: "schema", path: "/" });
  });

  it("rejects an oversized payload before decoding it", () => {
    const payload = new Uint8Array(MAX_PAYLOAD_BYTES + 1);
    expect(errorOf(decodeMessage("data", payload)).code).toBe("too_large");
  });

  it("rejects kinds it has no decoder for", () => {
    expect(errorOf(decodeMessage("telemetry" as "data", encode({ v: 1 }))).code).toBe("unknown_kind");
  });

  it("never throws on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom("birth" as const, "data" as const, "death" as const), (bytes, kind) => {
        const result = decodeMessage(kind, bytes, { birth: makeBirth() });
        expect(typeof result.ok).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws on valid CBOR of the wrong shape", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const result = decodeMessage("birth", encode(value));
        expect(result.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on corrupted frames", () => {
    const valid = encode(makeData(makeBirth()));
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 }), (index, flip) => {
        const bytes = Uint8Array.from(valid);
        bytes[index] = bytes[index]! ^ flip;
        const result = decodeMessage("data", bytes, { birth: makeBirth() });
        expect(typeof result.ok).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
  });
});

describe("decodeMessage: semantic checks", () => {
  it("requires one block per channel of the birth", () => {
    const birth = makeBirth();
    const frame = { ...makeData(birth), c: makeData(birth).c.slice(0, 2), o: [0, 3], q: [0, 8] };
    expect(errorOf(decodeMessage("data", encode(frame), { birth }))).toMatchObject({ code: "channel_count", path: "/c" });
    expect(decodeMessage("data", encode(frame)).ok).toBe(true);
  });

  it("requires offsets and quality flags per block", () => {
    const frame = { ...makeData(makeBirth()), q: [0, 1] };
    expect(errorOf(decodeMessage("data", encode(frame)))).toMatchObject({ code: "channel_count", path: "/q" });
  });

  it("requires the frame to come from the birth's boot", () => {
    const birth = makeBirth();
    const frame = { ...makeData(birth), b: birth.boot + 1 };
    expect(errorOf(decodeMessage("data", encode(frame), { birth }))).toMatchObject({ code: "unknown_boot", path: "/b" });
  });

  it("rejects a cut-off varint in a delta block", () => {
    const frame = { ...makeData(makeBirth()), c: [Buffer.from([0x02, 0x84])], o: undefined, q: undefined };
    expect(errorOf(decodeMessage("data", encode(frame)))).toMatchObject({ code: "bad_block", path: "/c/0" });
  });

  it("rejects sample times that run past a day", () => {
    const birth = makeBirth();
    const frame = { ...makeData(birth), p: 4_000_000_000 };
    expect(errorOf(decodeMessage("data", encode(frame), { birth })).code).toBe("implausible");
  });

  it("rejects a birth for another board than its topic", () => {
    const error = errorOf(decodeMessage("birth", encode(makeBirth()), { topic: { rig: "rig-A", board: "cell-08", kind: "birth" } }));
    expect(error).toMatchObject({ code: "topic_mismatch", path: "/board" });
  });

  it("rejects a birth naming a channel twice", () => {
    const birth = makeBirth();
    birth.channels[2]!.id = "p1";
    expect(errorOf(decodeMessage("birth", encode(birth)))).toMatchObject({ code: "duplicate_channel", path: "/channels/2/id" });
  });
});

describe("delta blocks", () => {
  it("round-trips any int32 codes, extremes included", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -2147483648, max: 2147483647 }), { maxLength: 200 }), (codes) => {
        const block = deltaEncode(codes);
        expect(countSamples(block)).toBe(codes.length);
        expect(Array.from(decodeSamples(block))).toEqual(codes);
      }),
    );
    expect(Array.from(decodeSamples(deltaEncode([2147483647, -2147483648, 2147483647])))).toEqual([2147483647, -2147483648, 2147483647]);
  });

  it("encodes a known vector the way PROTOCOL.md describes", () => {
    // 1000 absolute -> zigzag 2000 -> d0 0f; +3 -> 06; -5 -> 09
    expect(Array.from(deltaEncode([1000, 1003, 998]))).toEqual([0xd0, 0x0f, 0x06, 0x09]);
    expect(Array.from(decodeSamples(Uint8Array.from([0xd0, 0x0f, 0x06, 0x09])))).toEqual([1000, 1003, 998]);
  });

  it("rejects codes outside 32 bits and over-long varints", () => {
    expect(readBlock(deltaEncode([2147483647, 2147483648]))).toMatchObject({ ok: false, error: { code: "bad_block" } });
    expect(readBlock(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))).toMatchObject({ ok: false, error: { code: "bad_block" } });
    expect(() => decodeSamples(Uint8Array.from([0x81]))).toThrow(/cut off/);
  });

  it("passes typed arrays through as integers or doubles", () => {
    expect(decodeSamples(new Uint16Array([65535, 1]))).toEqual(Int32Array.from([65535, 1]));
    expect(decodeSamples(new Int16Array([-32768, 7]))).toEqual(Int32Array.from([-32768, 7]));
    expect(decodeSamples(new Float32Array([0.5, -1.25]))).toEqual(Float64Array.from([0.5, -1.25]));
  });
});

describe("sample times and physical values", () => {
  it("places sample k of channel i at t + (o_i + k·every_i)·p", () => {
    const birth = makeBirth();
    const frame = makeData(birth);
    const t = 1_754_000_001_000_000;
    expect(Array.from(sampleTimes_us(frame, birth, 0))).toEqual([0, 1, 2, 3, 4, 5].map((k) => t + k * 10 * 10_000));
    expect(Array.from(sampleTimes_us(frame, birth, 1))).toEqual([0, 1, 2].map((k) => t + (3 + k * 20) * 10_000));
    expect(sampleTimes_us(frame, birth, 2)[14]).toBe(t + (1 + 14 * 4) * 10_000);
    expect(() => sampleTimes_us(frame, birth, 3)).toThrow(/out of range/);
  });

  it("applies a linear calibration", () => {
    const values = toPhysical(Int32Array.from([0, 128, -256]), { kind: "linear", gain: 0.0078125, offset: -3.5 });
    expect(Array.from(values)).toEqual([-3.5, -2.5, -5.5]);
  });
});

describe("topics", () => {
  it("parses and forms cellrig/v1/<rig>/<board>/<kind>", () => {
    expect(parseTopic("cellrig/v1/rig-A/cell_07/data")).toEqual({ ok: true, rig: "rig-A", board: "cell_07", kind: "data" });
    expect(formTopic("rig-A", "cell_07", "birth")).toBe("cellrig/v1/rig-A/cell_07/birth");
  });

  it("rejects wrong prefixes, ids and kinds with a reason", () => {
    expect(parseTopic("cellrig/v2/r/b/data")).toMatchObject({ ok: false });
    expect(parseTopic("cellrig/v1/r/b")).toMatchObject({ ok: false });
    expect(parseTopic("cellrig/v1/r/b.c/data")).toMatchObject({ ok: false, message: expect.stringContaining("board id") });
    expect(parseTopic(`cellrig/v1/${"r".repeat(33)}/b/data`)).toMatchObject({ ok: false, message: expect.stringContaining("rig id") });
    expect(parseTopic("cellrig/v1/r/b/tele")).toMatchObject({ ok: false, message: expect.stringContaining("kind") });
    expect(() => formTopic("rig A", "b", "cmd")).toThrow(/rig id/);
  });
});
