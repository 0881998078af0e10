import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decoder } from "cbor-x";
import { CborWriter } from "../../protocol/wire/cbor-writer.ts";
import { deltaBlockSize_B, writeDeltaBlock, type SampleArray } from "../../protocol/wire/zigzag-delta.ts";

const decoder = new Decoder({ useRecords: false, mapsAsObjects: true });

/** Reference decoder of docs/PROTOCOL.md "data" byte-string blocks, in BigInt so no step can round. */
function decodeDeltaBlock(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let previous = 0n;
  let i = 0;
  while (i < bytes.length) {
    let z = 0n;
    let shift = 0n;
    for (;;) {
      const b = bytes[i++];
      z |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) break;
    }
    const d = z & 1n ? -(z >> 1n) - 1n : z >> 1n;
    previous += d;
    out.push(Number(previous));
  }
  return out;
}

function roundTrip(samples: SampleArray, start: number, count: number): number[] {
  const w = new CborWriter(8 + 5 * samples.length);
  writeDeltaBlock(w, samples, start, count);
  const block = decoder.decode(w.bytes()) as Uint8Array;
  expect(block).toBeInstanceOf(Uint8Array);
  expect(block.length).toBe(deltaBlockSize_B(samples, start, count));
  return decodeDeltaBlock(block);
}

describe("zigzag delta blocks", () => {
  it("round-trips random int16 arrays of 1 to 4096 samples, extremes included", () => {
    const sample = fc.oneof(fc.integer({ min: -32768, max: 32767 }), fc.constantFrom(-32768, 32767, 0, -1));
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 4096 }), (values) => {
        const samples = Int16Array.from(values);
        expect(roundTrip(samples, 0, samples.length)).toEqual(values);
      }),
      { numRuns: 200 },
    );
  });

  it("round-trips int32 samples whose differences need 33 bits", () => {
    const samples = Int32Array.from([2147483647, -2147483648, 2147483647, 0, -1, -2147483648]);
    expect(roundTrip(samples, 0, samples.length)).toEqual(Array.from(samples));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 500 }), (values) => {
        expect(roundTrip(Int32Array.from(values), 0, values.length)).toEqual(values);
      }),
    );
  });

  it("writes the first sample absolute and then the differences", () => {
    const w = new CborWriter(16);
    writeDeltaBlock(w, [100, 101, 99, 99, -32768], 0, 5);
    // zigzag: 100 → 200 (c8 01), +1 → 2, -2 → 3, 0 → 0, -32867 → 65733 (c5 81 04)
    expect(Buffer.from(w.bytes()).toString("hex")).toBe("48" + "c801" + "02" + "03" + "00" + "c58104");
  });

  it("reads a ring buffer across its end", () => {
    const ring = Int16Array.from([5, 6, 7, 1, 2, 3, 4]);
    expect(roundTrip(ring, 3, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(roundTrip(ring, 5, 3)).toEqual([3, 4, 5]);
  });

  it("writes an empty block as an empty byte string", () => {
    const w = new CborWriter(4);
    writeDeltaBlock(w, new Int16Array(0), 0, 0);
    expect(Array.from(w.bytes())).toEqual([0x40]);
  });

  it("refuses a block larger than its array and a buffer too small for it", () => {
    expect(() => writeDeltaBlock(new CborWriter(64), new Int16Array(4), 0, 5)).toThrow(
      "delta block of 5 samples from index 0 does not fit an array of 4",
    );
    expect(() => writeDeltaBlock(new CborWriter(4), Int16Array.from([1000, -1000, 1000]), 0, 3)).toThrow(
      /CBOR buffer of 4 bytes is too small: this message needs at least 7 bytes/,
    );
  });
});
