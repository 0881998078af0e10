import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decoder, encode as referenceEncode } from "cbor-x";
import { CborWriter } from "../../protocol/wire/cbor-writer.ts";
import { writeValue } from "../../protocol/wire/cbor-value.ts";

const decoder = new Decoder({ useRecords: false, mapsAsObjects: true });
/** Keeps maps as Map, so the order of keys on the wire is visible. */
const orderedDecoder = new Decoder({ useRecords: false, mapsAsObjects: false });

function encodeValue(value: unknown): Uint8Array {
  const w = new CborWriter(1 << 16);
  writeValue(w, value);
  return w.bytes().slice();
}

/** UTF-8 text as the byte string a board would hold. */
function byteString(text: string): string {
  return Buffer.from(text, "utf8").toString("latin1");
}

/** What a value looks like after a trip through CBOR: -0 is the integer 0, undefined map values are left out, Buffers are byte arrays. */
function expected(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(expected);
  if (value instanceof Uint8Array) return Array.from(value);
  if (value !== null && typeof value === "object") {
    const out: { [key: string]: unknown } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = expected(v);
    return out;
  }
  return value;
}

function normalizeDecoded(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(normalizeDecoded);
  if (value !== null && typeof value === "object") {
    const out: { [key: string]: unknown } = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalizeDecoded(v);
    return out;
  }
  return value;
}

const key = fc.string({ maxLength: 12 }).filter((k) => k !== "__proto__");

const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.double(),
    fc.string({ maxLength: 20 }),
    fc.uint8Array({ maxLength: 20 }),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(key, fc.option(tie("value"), { nil: undefined }), { maxKeys: 6, noNullPrototype: true }),
  ),
}));

describe("writeValue", () => {
  it("round-trips nested values through cbor-x", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(normalizeDecoded(decoder.decode(encodeValue(v)))).toEqual(expected(v));
      }),
      { numRuns: 500 },
    );
  });

  it("orders map keys by their encoded bytes (RFC 8949 §4.2.1)", () => {
    const unicodeKey = fc.string({ unit: "grapheme", maxLength: 6 }).map(byteString);
    fc.assert(
      fc.property(fc.uniqueArray(unicodeKey, { maxLength: 12 }), (keys) => {
        const object: { [key: string]: number } = {};
        keys.forEach((k, i) => Object.defineProperty(object, k, { value: i, enumerable: true }));
        const decoded = orderedDecoder.decode(encodeValue(object)) as Map<string, number>;
        const reference = keys
          .map((k) => Buffer.from(k, "latin1").toString("utf8"))
          .sort((a, b) => Buffer.compare(referenceEncode(a), referenceEncode(b)));
        expect([...decoded.keys()]).toEqual(reference);
      }),
    );
  });

  it("puts shorter keys first, then bytewise", () => {
    const bytes = encodeValue({ zz: 1, b: 2, aaa: 3, a: 4, [byteString("é")]: 5 });
    expect([...(orderedDecoder.decode(bytes) as Map<string, number>).keys()]).toEqual(["a", "b", "zz", "é", "aaa"]);
  });

  it("writes integers as integers and other numbers as the shortest exact float", () => {
    const hex = (v: unknown) => Buffer.from(encodeValue(v)).toString("hex");
    expect(hex(-0)).toBe("00");
    expect(hex(100000)).toBe("1a000186a0");
    expect(hex(-(2 ** 53))).toBe("3b001fffffffffffff");
    expect(hex(2 ** 53 + 2)).toBe("fb4340000000000001");
    expect(hex(0.5)).toBe("f93800");
    expect(hex(1e300)).toBe("fb7e37e43c8800759c");
  });

  it("writes UTF-8 byte strings as text that decodes to the original characters", () => {
    expect(decoder.decode(encodeValue({ unit: byteString("°C"), name: byteString("水") }))).toEqual({ unit: "°C", name: "水" });
  });

  it("names what it cannot encode", () => {
    expect(() => encodeValue({ f: () => 1 })).toThrow(/cannot encode a function value as CBOR/);
    expect(() => encodeValue([new Int16Array(2)])).toThrow(/write other typed arrays with writeTypedArray/);
  });
});
