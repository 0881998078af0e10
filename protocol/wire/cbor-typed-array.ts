// RFC 8746 typed arrays for the CBOR writer. Apart from the writer because the boards never send one
// (their blocks are delta byte strings), so their bundles leave it out; the host and tests use it.
import { MAJOR_BYTES, MAJOR_TAG, TAG_FLOAT32_LE, TAG_SINT16_LE, TAG_SINT32_LE, TAG_UINT16_LE, type CborWriter, type NumericArray, type TypedArrayTag } from "./cbor-writer.ts";

function elementSize(tag: number): number {
  if (tag === TAG_SINT16_LE || tag === TAG_UINT16_LE) return 2;
  if (tag === TAG_SINT32_LE || tag === TAG_FLOAT32_LE) return 4;
  throw new Error("typed array tag " + tag + " is not one of 77, 69, 78, 85 (sint16, uint16, sint32, float32 LE)");
}

/**
 * The tag, then a byte string of `count` elements of `values` from `start`, little-endian. `count`
 * defaults to the rest of the array.
 */
export function writeTypedArray(w: CborWriter, tag: TypedArrayTag, values: NumericArray, start?: number, count?: number): void {
  const from = start === undefined ? 0 : start;
  const n = count === undefined ? values.length - from : count;
  if (from < 0 || n < 0 || from + n > values.length) {
    throw new Error("typed array slice [" + from + ", " + (from + n) + ") lies outside an array of " + values.length);
  }
  const size = elementSize(tag);
  w.head(MAJOR_TAG, tag);
  w.head(MAJOR_BYTES, n * size);
  let at = w.reserve(n * size);
  const v = new DataView(w.buffer.buffer, w.buffer.byteOffset, w.buffer.byteLength);
  const end = from + n;
  // one loop per element type: the type test stays out of the per-sample work
  if (tag === TAG_SINT16_LE) {
    for (let i = from; i < end; i++, at += 2) v.setInt16(at, values[i], true);
  } else if (tag === TAG_UINT16_LE) {
    for (let i = from; i < end; i++, at += 2) v.setUint16(at, values[i], true);
  } else if (tag === TAG_SINT32_LE) {
    for (let i = from; i < end; i++, at += 4) v.setInt32(at, values[i], true);
  } else {
    for (let i = from; i < end; i++, at += 4) v.setFloat32(at, values[i], true);
  }
}
