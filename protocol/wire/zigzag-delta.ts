// The `data` block as a byte string of zigzag LEB128 varints (docs/PROTOCOL.md "data"): the first
// sample's raw code absolute, every later one the difference from the one before. Runs in the
// sampling path: two passes over the samples (size, then bytes) and no allocation.
import { type CborWriter, MAJOR_BYTES } from "./cbor-writer.ts";

export type SampleArray = Int16Array | Int32Array | number[];

const TWO_POW_31 = 2147483648;

/**
 * Zigzag code of a difference: 0, -1, 1, -2, ... → 0, 1, 2, 3, ... Arithmetic, not shifts:
 * differences of int32 samples need 33 bits, beyond Espruino's 32-bit bitwise operators.
 */
function zigzag(d: number): number {
  return d >= 0 ? 2 * d : -2 * d - 1;
}

function varintSize_B(z: number): number {
  if (z < 0x80) return 1;
  if (z < 0x4000) return 2;
  if (z < 0x200000) return 3;
  if (z < 0x10000000) return 4;
  return 5; // int32 differences stay below 2^33 < 2^35
}

/**
 * Bytes the block's varints take, without the byte-string head. Indices run from `start` for
 * `count` samples and wrap to 0 at the end of the array, so a ring buffer is read in place.
 */
export function deltaBlockSize_B(samples: SampleArray, start: number, count: number): number {
  const n = samples.length;
  let i = start;
  let previous = 0;
  let size = 0;
  for (let k = 0; k < count; k++) {
    const x = samples[i];
    size += varintSize_B(zigzag(x - previous));
    previous = x;
    if (++i === n) i = 0;
  }
  return size;
}

/** Writes `count` samples from `start` (wrapping like deltaBlockSize_B) as one byte string. */
export function writeDeltaBlock(w: CborWriter, samples: SampleArray, start: number, count: number): void {
  const n = samples.length;
  if (start < 0 || (start >= n && count > 0) || count < 0 || count > n) {
    throw new Error(
      "delta block of " + count + " samples from index " + start + " does not fit an array of " + n,
    );
  }
  const size = deltaBlockSize_B(samples, start, count);
  w.head(MAJOR_BYTES, size);
  let at = w.reserve(size);
  const out = w.buffer;
  let i = start;
  let previous = 0;
  for (let k = 0; k < count; k++) {
    const x = samples[i];
    let z = zigzag(x - previous);
    previous = x;
    if (++i === n) i = 0;
    if (z < TWO_POW_31) {
      while (z >= 0x80) {
        out[at++] = (z & 0x7f) | 0x80;
        z >>>= 7;
      }
    } else {
      while (z >= 0x80) {
        out[at++] = (z % 0x80) | 0x80;
        z = Math.floor(z / 0x80);
      }
    }
    out[at++] = z;
  }
}
