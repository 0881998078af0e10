// A bounded CBOR (RFC 8949) reader for the board: turns a small payload (a command) into plain
// values. It never throws on bad input and never allocates more than the limits allow: every length
// is checked against the bytes that remain before anything is built. Espruino-safe: floats are read
// through DataView, integers above 2^32 are put together with exact multiplication.

const TWO_POW_32 = 4294967296;
/** Largest high word of a 64-bit head that keeps the value within 2^53. */
const MAX_HIGH_WORD = 2097152;
/** 2^-24, the binary16 subnormal step, exact. */
const HALF_SUBNORMAL_STEP = 5.9604644775390625e-8;
const halfScratch = new DataView(new ArrayBuffer(4));

export interface CborReadLimits {
  /** Longest payload accepted, bytes. */
  maxBytes: number;
  /** Deepest nesting of arrays and maps; the top-level item is depth 1. */
  maxDepth: number;
  /** Most items in the whole payload, keys and values counted alike. */
  maxItems: number;
  /** Longest text or byte string, bytes. */
  maxStringBytes: number;
}

/** A CBOR value as the reader builds it: maps (text keys only) become plain objects. */
export type CborValue = null | undefined | boolean | number | string | Uint8Array | CborValue[] | { [key: string]: CborValue };

/** `code`: cbor (malformed or outside what the protocol uses), too_large, too_deep or too_many. */
export type CborReadResult = { ok: true; value: CborValue } | { ok: false; code: string; message: string };

export class CborReader {
  private readonly limits: CborReadLimits;
  private bytes: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(new ArrayBuffer(8));
  private pos = 0;
  private items = 0;
  private errorCode = "";
  private errorMessage = "";

  constructor(limits: CborReadLimits) {
    this.limits = limits;
  }

  /** Reads exactly one item filling `bytes`; trailing bytes are an error. */
  read(bytes: Uint8Array): CborReadResult {
    if (bytes.length > this.limits.maxBytes) {
      return { ok: false, code: "too_large", message: "payload is " + bytes.length + " bytes; at most " + this.limits.maxBytes + " are accepted" };
    }
    if (bytes.length === 0) return { ok: false, code: "cbor", message: "payload is empty; expected one CBOR map" };
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    this.pos = 0;
    this.items = 0;
    this.errorCode = "";
    const value = this.item(1);
    if (this.errorCode === "" && this.pos !== bytes.length) {
      this.fail("cbor", (bytes.length - this.pos) + " byte(s) follow the item at offset " + this.pos + "; a payload is exactly one CBOR item");
    }
    if (this.errorCode !== "") return { ok: false, code: this.errorCode, message: this.errorMessage };
    return { ok: true, value: value };
  }

  private fail(code: string, message: string): undefined {
    if (this.errorCode === "") {
      this.errorCode = code;
      this.errorMessage = message;
    }
    return undefined;
  }

  private remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** The argument of a head with additional info `info`, or -1 after recording why it cannot be read. */
  private argument(info: number, at: number): number {
    if (info < 24) return info;
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    if (size === 0) {
      this.fail("cbor", "item at offset " + at + " has additional info " + info + (info === 31 ? " (indefinite length; only definite lengths are used)" : " (reserved)"));
      return -1;
    }
    if (this.remaining() < size) {
      this.fail("cbor", "item at offset " + at + " is cut off: its head needs " + size + " more byte(s)");
      return -1;
    }
    const p = this.pos;
    this.pos += size;
    if (size === 1) return this.bytes[p];
    if (size === 2) return this.view.getUint16(p);
    if (size === 4) return this.view.getUint32(p);
    const high = this.view.getUint32(p);
    if (high >= MAX_HIGH_WORD) {
      this.fail("cbor", "item at offset " + at + " has an argument beyond 2^53, which no field of the protocol takes");
      return -1;
    }
    return high * TWO_POW_32 + this.view.getUint32(p + 4);
  }

  private count(at: number): boolean {
    if (++this.items > this.limits.maxItems) {
      this.fail("too_many", "item at offset " + at + " is one more than the " + this.limits.maxItems + " items a payload may hold");
      return false;
    }
    return true;
  }

  private item(depth: number): CborValue {
    const at = this.pos;
    if (this.remaining() < 1) return this.fail("cbor", "payload ends at offset " + at + " where another item was expected");
    if (!this.count(at)) return undefined;
    const initial = this.bytes[this.pos++];
    const major = initial >> 5;
    const info = initial & 31;
    if (major === 7) return this.simple(info, at);
    const arg = this.argument(info, at);
    if (arg < 0) return undefined;
    if (major === 0) return arg;
    if (major === 1) return -1 - arg;
    if (major === 2 || major === 3) return this.string(major, arg, at);
    if (major === 6) return this.fail("cbor", "tag " + arg + " at offset " + at + " is not used in commands");
    if (depth > this.limits.maxDepth) return this.fail("too_deep", "item at offset " + at + " nests deeper than " + this.limits.maxDepth + " levels");
    // every element takes at least one byte: a count beyond what remains is a lie, refused before any allocation
    const needed_B = major === 4 ? arg : 2 * arg;
    if (needed_B > this.remaining()) {
      return this.fail("cbor", (major === 4 ? "array" : "map") + " at offset " + at + " claims " + arg + " entries but only " + this.remaining() + " byte(s) remain");
    }
    return major === 4 ? this.array(arg, depth) : this.map(arg, depth);
  }

  private string(major: number, length_B: number, at: number): CborValue {
    if (length_B > this.limits.maxStringBytes) {
      return this.fail("too_large", (major === 2 ? "byte" : "text") + " string at offset " + at + " is " + length_B + " bytes; at most " + this.limits.maxStringBytes + " are accepted");
    }
    if (length_B > this.remaining()) {
      return this.fail("cbor", "string at offset " + at + " claims " + length_B + " bytes but only " + this.remaining() + " remain");
    }
    const from = this.pos;
    this.pos += length_B;
    if (major === 2) return this.bytes.subarray(from, from + length_B);
    let text = "";
    for (let i = from; i < from + length_B; i++) text += String.fromCharCode(this.bytes[i]);
    return text;
  }

  private array(n: number, depth: number): CborValue {
    const out: CborValue[] = [];
    for (let i = 0; i < n; i++) {
      const v = this.item(depth + 1);
      if (this.errorCode !== "") return undefined;
      out.push(v);
    }
    return out;
  }

  private map(pairs: number, depth: number): CborValue {
    const out: { [key: string]: CborValue } = {};
    // keys seen, kept apart from the object: Object.prototype methods do not exist on the board
    const seen: string[] = [];
    for (let i = 0; i < pairs; i++) {
      const at = this.pos;
      const key = this.item(depth + 1);
      if (this.errorCode !== "") return undefined;
      if (typeof key !== "string") return this.fail("cbor", "map key at offset " + at + " is not a text string");
      // a key that would reach the object's prototype, or a repeated one, is not a plain map
      if (key === "__proto__" || seen.indexOf(key) >= 0) {
        return this.fail("cbor", "map key \"" + key + "\" at offset " + at + " is repeated or reserved");
      }
      const v = this.item(depth + 1);
      if (this.errorCode !== "") return undefined;
      seen.push(key);
      out[key] = v;
    }
    return out;
  }

  private simple(info: number, at: number): CborValue {
    if (info === 20) return false;
    if (info === 21) return true;
    if (info === 22) return null;
    if (info === 23) return undefined;
    const size = info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    if (size === 0) return this.fail("cbor", "simple value " + info + " at offset " + at + " is not used by the protocol");
    if (this.remaining() < size) return this.fail("cbor", "float at offset " + at + " is cut off");
    const p = this.pos;
    this.pos += size;
    if (size === 4) return this.view.getFloat32(p);
    if (size === 8) return this.view.getFloat64(p);
    return halfToNumber(this.view.getUint16(p));
  }
}

/** binary16 to a number: exact, without Math.pow (inexact on Espruino). */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 31;
  const mantissa = bits & 1023;
  if (exponent === 0) return sign * mantissa * HALF_SUBNORMAL_STEP;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  // the same value as binary32 bits: rebias the exponent and widen the mantissa
  halfScratch.setUint32(0, (((bits & 0x8000) << 16) | ((exponent + 112) << 23) | (mantissa << 13)) >>> 0);
  return halfScratch.getFloat32(0);
}
