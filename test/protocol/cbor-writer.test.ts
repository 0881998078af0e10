import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decoder } from "cbor-x";
import { writeTypedArray } from "../../protocol/wire/cbor-typed-array.ts";
import {
  CborWriter,
  MAJOR_TAG,
  TAG_FLOAT32_LE,
  TAG_SINT16_LE,
  TAG_SINT32_LE,
  TAG_UINT16_LE,
} from "../../protocol/wire/cbor-writer.ts";

const decoder = new Decoder({ useRecords: false, mapsAsObjects: true });

function encoded(fn: (w: CborWriter) => void, capacity_B = 64): Uint8Array {
  const w = new CborWriter(capacity_B);
  fn(w);
  return w.bytes().slice();
}

/** cbor-x gives 64-bit heads as bigints; every value written here is exact as a number. */
function decodeNumber(bytes: Uint8Array): unknown {
  const v = decoder.decode(bytes);
  return typeof v === "bigint" ? Number(v) : v;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/** Reference binary16 decoding by arithmetic, independent of the writer's bit manipulation. */
function halfValue(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

const halfBitsByValue = new Map<number, number>();
for (let bits = 0; bits < 0x10000; bits++) {
  const v = halfValue(bits);
  if (!Number.isNaN(v) && !Object.is(v, -0)) halfBitsByValue.set(v, bits);
}

/** Bytes of the shortest exact float encoding (RFC 8949 §4.2.1). */
function shortestFloatLength(value: number): number {
  if (Number.isNaN(value) || halfBitsByValue.has(value) || Object.is(value, -0)) return 3;
  return Math.fround(value) === value ? 5 : 9;
}

function headLength(value: number): number {
  if (value < 24) return 1;
  if (value < 256) return 2;
  if (value < 65536) return 3;
  if (value < 2 ** 32) return 5;
  return 9;
}

describe("CborWriter integers", () => {
  const boundaries = [0, 23, 24, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1];

  it.each(boundaries)("writes %d and -1 - %d with the shortest head", (n) => {
    const positive = encoded((w) => w.uint(n));
    expect(positive.length).toBe(headLength(n));
    expect(positive[0] >> 5).toBe(0);
    expect(decodeNumber(positive)).toBe(n);
    const negative = encoded((w) => w.int(-1 - n));
    expect(negative.length).toBe(headLength(n));
    expect(negative[0] >> 5).toBe(1);
    expect(decodeNumber(negative)).toBe(-1 - n);
  });

  it("writes 2^53 as a full 64-bit head", () => {
    expect(hex(encoded((w) => w.uint(2 ** 53)))).toBe("1b0020000000000000");
  });

  it("round-trips random safe integers through cbor-x", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        const bytes = encoded((w) => w.int(n));
        expect(bytes.length).toBe(headLength(n < 0 ? -1 - n : n));
        expect(decodeNumber(bytes)).toBe(n);
      }),
    );
  });

  it("refuses heads that are not integers in [0, 2^53]", () => {
    const w = new CborWriter(16);
    expect(() => w.uint(2 ** 53 + 2)).toThrow(/not an integer in \[0, 2\^53\]/);
    expect(() => w.uint(1.5)).toThrow(/1\.5/);
    expect(() => w.uint(-1)).toThrow(/-1/);
    expect(() => w.uint(NaN)).toThrow(/NaN/);
  });
});

describe("CborWriter floats", () => {
  it("writes every binary16 value as f9 and its own bits", () => {
    for (const [value, bits] of halfBitsByValue) {
      const bytes = encoded((w) => w.float(value));
      expect(hex(bytes)).toBe("f9" + bits.toString(16).padStart(4, "0"));
    }
  });

  it("writes NaN, the infinities and -0 in half precision", () => {
    expect(hex(encoded((w) => w.float(NaN)))).toBe("f97e00");
    expect(hex(encoded((w) => w.float(Infinity)))).toBe("f97c00");
    expect(hex(encoded((w) => w.float(-Infinity)))).toBe("f9fc00");
    // Node only: Espruino has no negative zero, so a board always writes f90000
    expect(hex(encoded((w) => w.float(-0)))).toBe("f98000");
  });

  it("keeps binary16 neighbours that need binary32: past the mantissa, below the subnormals, above 65504", () => {
    expect(hex(encoded((w) => w.float(1 + 2 ** -11)))).toBe("fa3f801000");
    expect(hex(encoded((w) => w.float(2 ** -25)))).toBe("fa33000000");
    expect(hex(encoded((w) => w.float(3 * 2 ** -25)))).toBe("fa33c00000");
    expect(hex(encoded((w) => w.float(65536)))).toBe("fa47800000");
    expect(hex(encoded((w) => w.float(2 ** -24)))).toBe("f90001");
  });

  it("round-trips random doubles in their shortest exact form", () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        const bytes = encoded((w) => w.float(x));
        expect(bytes.length).toBe(shortestFloatLength(x));
        expect(Object.is(decoder.decode(bytes), x) || (Number.isNaN(x) && Number.isNaN(decoder.decode(bytes)))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("round-trips random binary32 values in at most 5 bytes", () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true }), (x) => {
        const bytes = encoded((w) => w.float(x));
        expect(bytes.length).toBe(shortestFloatLength(x));
        expect(bytes.length).toBeLessThanOrEqual(5);
        expect(Object.is(decoder.decode(bytes), x)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("CborWriter strings and simple values", () => {
  it("writes byte strings, text from byte strings, booleans, null, undefined and tags", () => {
    const bytes = encoded((w) => {
      w.arrayHead(7);
      w.byteString(new Uint8Array([1, 2, 3]));
      w.text("IETF");
      w.text(Buffer.from("水", "utf8").toString("latin1"));
      w.bool(true);
      w.null();
      w.undefined();
      w.head(MAJOR_TAG, 1);
      w.uint(1363896240);
    });
    expect(hex(bytes)).toBe("87" + "43010203" + "6449455446" + "63e6b0b4" + "f5" + "f6" + "f7" + "c11a514b67b0");
  });

  it("refuses text that is not a byte string", () => {
    const w = new CborWriter(16);
    expect(() => w.text("水")).toThrow(/char code 27700 at 0: pass a UTF-8 byte string/);
  });
});

describe("CborWriter buffer", () => {
  it("throws naming the capacity and the size needed instead of truncating", () => {
    const w = new CborWriter(4);
    w.uint(1);
    expect(() => w.text("hello")).toThrow("CBOR buffer of 4 bytes is too small: this message needs at least 7 bytes");
  });

  it("reuses its buffer after reset", () => {
    const w = new CborWriter(8);
    w.text("abcdefg");
    expect(w.bytes().length).toBe(8);
    w.reset();
    w.uint(500);
    expect(hex(w.bytes())).toBe("1901f4");
    expect(w.bytes().buffer).toBe(w.buffer.buffer);
  });
});

describe("CborWriter typed arrays (RFC 8746)", () => {
  const cases = [
    { tag: TAG_SINT16_LE, name: "sint16", arb: fc.integer({ min: -32768, max: 32767 }), make: (v: number[]) => Int16Array.from(v) },
    { tag: TAG_UINT16_LE, name: "uint16", arb: fc.integer({ min: 0, max: 65535 }), make: (v: number[]) => Uint16Array.from(v) },
    { tag: TAG_SINT32_LE, name: "sint32", arb: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), make: (v: number[]) => Int32Array.from(v) },
    { tag: TAG_FLOAT32_LE, name: "float32", arb: fc.float({ noNaN: true }), make: (v: number[]) => Float32Array.from(v) },
  ] as const;

  it.each(cases)("round-trips $name arrays and slices of them through cbor-x", ({ tag, arb, make }) => {
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 300 }), fc.nat(), fc.nat(), (values, a, b) => {
        const array = make(values);
        const start = values.length === 0 ? 0 : a % values.length;
        const count = (values.length - start) === 0 ? 0 : b % (values.length - start + 1);
        const bytes = encoded((w) => writeTypedArray(w, tag, array, start, count), 4096);
        const decoded = decoder.decode(bytes);
        expect(decoded).toBeInstanceOf(array.constructor);
        expect(Array.from(decoded as ArrayLike<number>)).toEqual(Array.from(array.subarray(start, start + count)));
      }),
      { numRuns: 200 },
    );
  });

  it("writes little-endian elements after the tag and byte-string head", () => {
    expect(hex(encoded((w) => writeTypedArray(w, TAG_SINT16_LE, [1, -2])))).toBe("d84d44" + "0100" + "feff");
    expect(hex(encoded((w) => writeTypedArray(w, TAG_FLOAT32_LE, [1])))).toBe("d85544" + "0000803f");
  });

  it("refuses slices outside the array", () => {
    const w = new CborWriter(64);
    expect(() => writeTypedArray(w, TAG_SINT16_LE, new Int16Array(4), 2, 3)).toThrow("typed array slice [2, 5) lies outside an array of 4");
  });
});
