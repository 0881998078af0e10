import type { Block } from "../schema/block.ts";
import { fail, ProtocolError, type DecodeError, type DecodeResult } from "./result.ts";

/** Raw codes of one block: integers for ADC codes, doubles for float32 blocks. */
export type RawSamples = Int32Array | Float64Array;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
/** A delta between two int32 codes needs 33 bits zigzagged, 5 varint bytes; more is corruption. */
const MAX_VARINT_BYTES = 5;

function isDeltaBlock(block: Block): block is Uint8Array {
  return block instanceof Uint8Array;
}

/** Number of samples in a block without decoding it: a varint ends at each byte below 0x80. */
export function countSamples(block: Block): number {
  if (!isDeltaBlock(block)) return block.length;
  let count = 0;
  for (let i = 0; i < block.length; i++) if (block[i]! < 0x80) count++;
  return count;
}

/**
 * Reads every varint of a delta block, checking that none is cut off or over-long and that every
 * sample stays within int32, and writes the samples to `out` when given. Returns the sample count,
 * or the error. Without `out` nothing is allocated: decodeMessage checks blocks this way.
 */
function walkDeltaBlock(block: Uint8Array, out: Int32Array | undefined, path: string): number | DecodeError {
  let previous = 0;
  let k = 0;
  let i = 0;
  while (i < block.length) {
    let zigzag = block[i]!;
    if (zigzag < 0x80) {
      i++; // the common case: a small difference in one byte
    } else {
      // Multiplication instead of shifts: 5 bytes carry 35 bits, past JavaScript's 32-bit bitwise operators.
      zigzag = 0;
      let scale = 1;
      let bytes = 0;
      for (;;) {
        if (i >= block.length) {
          return fail("bad_block", `block ${path}: the last varint is cut off after ${bytes} byte(s)`, path).error;
        }
        const byte = block[i++]!;
        bytes++;
        if (bytes > MAX_VARINT_BYTES) {
          return fail("bad_block", `block ${path}: varint at sample ${k} is longer than ${MAX_VARINT_BYTES} bytes`, path).error;
        }
        zigzag += (byte & 0x7f) * scale;
        scale *= 128;
        if (byte < 0x80) break;
      }
    }
    const delta = zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
    const value = k === 0 ? delta : previous + delta;
    if (value < INT32_MIN || value > INT32_MAX) {
      return fail("bad_block", `block ${path}: sample ${k} decodes to ${value}, outside the 32-bit signed range`, path).error;
    }
    if (out !== undefined) out[k] = value;
    k++;
    previous = value;
  }
  return k;
}

/** Checks a block without building its samples; returns its sample count or the error. Never throws. */
export function checkBlock(block: Block, path = ""): number | DecodeError {
  return isDeltaBlock(block) ? walkDeltaBlock(block, undefined, path) : block.length;
}

/** Decodes a block into raw codes; never throws. `path` names the block in error messages. */
export function readBlock(block: Block, path = ""): DecodeResult<RawSamples> {
  if (block instanceof Float32Array) return { ok: true, message: Float64Array.from(block) };
  if (block instanceof Int32Array) return { ok: true, message: block };
  if (!isDeltaBlock(block)) return { ok: true, message: Int32Array.from(block) };
  const out = new Int32Array(countSamples(block));
  const walked = walkDeltaBlock(block, out, path);
  return typeof walked === "number" ? { ok: true, message: out } : { ok: false, error: walked };
}

/** Decodes a block that decodeMessage has already accepted; throws a ProtocolError (code bad_block) otherwise. */
export function decodeSamples(block: Block): RawSamples {
  const result = readBlock(block);
  if (!result.ok) throw new ProtocolError(result.error);
  return result.message;
}
