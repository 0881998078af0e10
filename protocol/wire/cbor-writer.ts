// CBOR (RFC 8949) writer for the board: one preallocated buffer, reused message after message, so
// the sampling path allocates nothing. Espruino-safe: integers above 2^32 are split with exact
// division, floats go through DataView, strings are byte strings.
import { halfBitsOf } from "./half-float.ts";

/** 2^32, exact (Espruino's Math.pow(2, 32) is not). */
const TWO_POW_32 = 4294967296;
/** 2^53: integers up to here are exact as doubles. */
const TWO_POW_53 = 9007199254740992;

export const MAJOR_UINT = 0;
export const MAJOR_NEGATIVE = 1;
export const MAJOR_BYTES = 2;
export const MAJOR_TEXT = 3;
export const MAJOR_ARRAY = 4;
export const MAJOR_MAP = 5;
export const MAJOR_TAG = 6;

/** RFC 8746 typed-array tags the protocol uses (all little-endian). */
export const TAG_SINT16_LE = 77;
export const TAG_UINT16_LE = 69;
export const TAG_SINT32_LE = 78;
export const TAG_FLOAT32_LE = 85;

export type TypedArrayTag = 77 | 69 | 78 | 85;
export type NumericArray = Int16Array | Uint16Array | Int32Array | Float32Array | number[];


export class CborWriter {
  /** The whole backing buffer; bytes [0, length) hold what has been written. */
  readonly buffer: Uint8Array;
  private readonly view: DataView;
  private readonly scratch: DataView;
  private pos = 0;

  constructor(capacity_B: number) {
    this.buffer = new Uint8Array(capacity_B);
    this.view = new DataView(this.buffer.buffer);
    this.scratch = new DataView(new ArrayBuffer(8));
  }

  reset(): void {
    this.pos = 0;
  }

  /** The encoded bytes so far: a view into the buffer, valid until the next reset. */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.pos);
  }

  /**
   * Claims `n` bytes for the caller to fill directly in `buffer` and returns their offset;
   * throws when the buffer cannot hold them (a message is never silently cut short).
   */
  reserve(n: number): number {
    const at = this.pos;
    const needed = at + n;
    if (needed > this.buffer.length) {
      throw new Error(
        "CBOR buffer of " + this.buffer.length + " bytes is too small: this message needs at least " +
          needed + " bytes (size the writer for the largest message)",
      );
    }
    this.pos = needed;
    return at;
  }

  /** Item head in the shortest form (RFC 8949 §4.2.1); `value` is an integer in [0, 2^53]. */
  head(major: number, value: number): void {
    if (!(value >= 0 && value <= TWO_POW_53 && Math.floor(value) === value)) {
      throw new Error("CBOR head value " + value + " is not an integer in [0, 2^53]");
    }
    const type = major << 5;
    if (value < 24) {
      this.buffer[this.reserve(1)] = type | value;
    } else if (value < 256) {
      const at = this.reserve(2);
      this.buffer[at] = type | 24;
      this.buffer[at + 1] = value;
    } else if (value < 65536) {
      const at = this.reserve(3);
      this.buffer[at] = type | 25;
      this.view.setUint16(at + 1, value);
    } else if (value < TWO_POW_32) {
      const at = this.reserve(5);
      this.buffer[at] = type | 26;
      this.view.setUint32(at + 1, value);
    } else {
      const high = Math.floor(value / TWO_POW_32);
      const at = this.reserve(9);
      this.buffer[at] = type | 27;
      this.view.setUint32(at + 1, high);
      this.view.setUint32(at + 5, value - high * TWO_POW_32);
    }
  }

  uint(value: number): void {
    this.head(MAJOR_UINT, value);
  }

  /** Any integer in [-2^53, 2^53]: major type 0 or 1. */
  int(value: number): void {
    if (value < 0) this.head(MAJOR_NEGATIVE, -1 - value);
    else this.head(MAJOR_UINT, value);
  }

  /** Byte string (major type 2); `bytes()` is the writer's own output. */
  byteString(data: Uint8Array): void {
    this.head(MAJOR_BYTES, data.length);
    this.buffer.set(data, this.reserve(data.length));
  }

  /**
   * Text string from a byte string: each char code is one byte, so the string must already be
   * ASCII or UTF-8 encoded (Espruino's strings are byte strings).
   */
  text(value: string): void {
    const n = value.length;
    this.head(MAJOR_TEXT, n);
    const at = this.reserve(n);
    for (let i = 0; i < n; i++) {
      const code = value.charCodeAt(i);
      if (code > 255) {
        throw new Error(
          "CBOR text " + JSON.stringify(value) + " has char code " + code + " at " + i +
            ": pass a UTF-8 byte string (one char code per byte)",
        );
      }
      this.buffer[at + i] = code;
    }
  }

  arrayHead(count: number): void {
    this.head(MAJOR_ARRAY, count);
  }

  mapHead(pairs: number): void {
    this.head(MAJOR_MAP, pairs);
  }

  bool(value: boolean): void {
    this.buffer[this.reserve(1)] = value ? 0xf5 : 0xf4;
  }

  null(): void {
    this.buffer[this.reserve(1)] = 0xf6;
  }

  undefined(): void {
    this.buffer[this.reserve(1)] = 0xf7;
  }

  /**
   * A float in the shortest form that keeps it exactly (RFC 8949 §4.2.1 preferred
   * serialization): binary16, else binary32, else binary64; every NaN as f97e00.
   */
  float(value: number): void {
    if (value !== value) {
      this.half(0x7e00);
      return;
    }
    const s = this.scratch;
    s.setFloat32(0, value);
    if (s.getFloat32(0) === value) {
      const bits = s.getUint32(0);
      const half = halfBitsOf(bits);
      if (half >= 0) {
        this.half(half);
      } else {
        const at = this.reserve(5);
        this.buffer[at] = 0xfa;
        this.view.setUint32(at + 1, bits);
      }
      return;
    }
    const at = this.reserve(9);
    this.buffer[at] = 0xfb;
    this.view.setFloat64(at + 1, value);
  }

  private half(bits: number): void {
    const at = this.reserve(3);
    this.buffer[at] = 0xf9;
    this.view.setUint16(at + 1, bits);
  }
}
