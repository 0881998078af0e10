import { fail, type DecodeError } from "./result.ts";

/** Deeper than any message of the protocol nests (birth `cfg` values included). */
export const MAX_DEPTH = 16;

/** Reused by every scan: scans run to completion one at a time, and the stack then costs no allocation. */
const pendingStack = new Float64Array(MAX_DEPTH);

/** RFC 8746 typed-array tags the protocol uses, with their element size in bytes. */
const TYPED_ARRAY_TAGS: Readonly<Record<number, number>> = { 69: 2, 77: 2, 78: 4, 85: 4 };

/**
 * Walks the CBOR heads of a payload before any decoder builds values from it: every length must fit
 * in the bytes that remain (so a header claiming 4 GB is refused without allocating anything),
 * nesting stays within MAX_DEPTH, lengths are definite, tags are the protocol's typed arrays only,
 * and the payload is exactly one item. Costs one pass over the heads; strings are skipped, not read.
 * Returns undefined when the payload may be decoded.
 */
export function scanCbor(bytes: Uint8Array): DecodeError | undefined {
  const end = bytes.length;
  // items still to read in each open container; the bottom entry is the one top-level item
  const pending = pendingStack;
  pending[0] = 1;
  let depth = 1;
  let pos = 0;
  let typedArrayElement_B = 0;
  while (depth > 0) {
    const top = depth - 1;
    if (pending[top] === 0) {
      depth--;
      continue;
    }
    pending[top]!--;
    const at = pos;
    if (pos >= end) return fail("cbor", `payload ends at byte ${at} where another item was expected (truncated)`).error;
    const initial = bytes[pos++]!;
    const major = initial >> 5;
    const info = initial & 31;
    if (typedArrayElement_B > 0 && major !== 2) {
      return fail("cbor", `typed-array tag at byte ${at - 1} must wrap a byte string, not major type ${major}`).error;
    }
    let arg = info;
    if (info >= 24) {
      const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
      if (size === 0) {
        const what = info === 31 ? "an indefinite length (protocol v1 uses definite lengths only)" : `reserved additional info ${info}`;
        return fail("cbor", `item at byte ${at} has ${what}`).error;
      }
      if (pos + size > end) return fail("cbor", `item at byte ${at} is cut off inside its ${size}-byte argument`).error;
      if (major === 7) {
        if (info === 24) return fail("cbor", `simple value at byte ${at} is not one the protocol uses`).error;
        pos += size; // a float: its bytes are its value
        continue;
      }
      arg = 0;
      for (let i = 0; i < size; i++) arg = arg * 256 + bytes[pos + i]!;
      // beyond 2^53 the sum is inexact but still huge, which is all the checks below need
      pos += size;
    } else if (major === 7 && info < 20) {
      return fail("cbor", `simple value ${info} at byte ${at} is not one the protocol uses`).error;
    }
    const remaining_B = end - pos;
    switch (major) {
      case 2:
      case 3:
        if (arg > remaining_B) {
          return fail("cbor", `${major === 2 ? "byte" : "text"} string at byte ${at} claims ${arg} bytes but only ${remaining_B} remain`).error;
        }
        if (typedArrayElement_B > 0 && arg % typedArrayElement_B !== 0) {
          return fail("cbor", `typed array at byte ${at} holds ${arg} bytes, not a whole number of ${typedArrayElement_B}-byte elements`).error;
        }
        typedArrayElement_B = 0;
        pos += arg;
        break;
      case 4:
      case 5: {
        // every entry takes at least one byte, so a count beyond the remaining bytes is a lie
        const entries = major === 4 ? arg : 2 * arg;
        if (entries > remaining_B) {
          return fail("cbor", `${major === 4 ? "array" : "map"} at byte ${at} claims ${arg} entries but only ${remaining_B} bytes remain`).error;
        }
        if (depth >= MAX_DEPTH) return fail("too_deep", `item at byte ${at} nests deeper than ${MAX_DEPTH} levels`).error;
        pending[depth++] = entries;
        break;
      }
      case 6: {
        const size = TYPED_ARRAY_TAGS[arg];
        if (size === undefined) return fail("cbor", `tag ${arg} at byte ${at} is not used by protocol v1 (only typed-array tags 69, 77, 78, 85)`).error;
        typedArrayElement_B = size;
        pending[top]!++; // the tagged item is read in place of the tag
        break;
      }
    }
  }
  if (pos !== end) return fail("cbor", `${end - pos} byte(s) follow the message, which ended at byte ${pos}; a payload is exactly one CBOR item`).error;
  return undefined;
}
