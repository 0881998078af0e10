// Generic CBOR encoding of plain JS values in core deterministic form (RFC 8949 §4.2.1), for the
// rare messages (birth, alarm, ack, death); the sampling path writes its frames item by item.
import { CborWriter } from "./cbor-writer.ts";

const TWO_POW_53 = 9007199254740992;

/**
 * Core deterministic key order for text keys: by encoded bytes, which for byte strings is
 * shorter first (a shorter string never has a longer head), then bytewise.
 */
export function compareKeys(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return 0;
}

/** Integers within ±2^53 as integers, any other number as the shortest float that keeps it exactly. */
export function writeNumber(w: CborWriter, value: number): void {
  // -0 goes out as the integer 0: Espruino has no negative zero, so the board could not produce it
  if (Math.floor(value) === value && value <= TWO_POW_53 && value >= -TWO_POW_53) w.int(value);
  else w.float(value);
}

function writeObject(w: CborWriter, value: { [key: string]: unknown }): void {
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  keys.sort(compareKeys);
  w.mapHead(keys.length);
  for (let i = 0; i < keys.length; i++) {
    w.text(keys[i]);
    writeValue(w, value[keys[i]]);
  }
}

/** Typed arrays other than Uint8Array and DataViews would otherwise pass for maps of indices. */
function isBinaryView(value: { buffer?: unknown }): boolean {
  return value.buffer instanceof ArrayBuffer;
}

/**
 * Encodes null, undefined, booleans, numbers (integers within ±2^53 as integers, others as the
 * shortest exact float), byte strings as text, arrays, Uint8Array as a byte string, and plain
 * objects as maps with sorted text keys; keys whose value is undefined are left out, as in JSON.
 */
export function writeValue(w: CborWriter, value: unknown): void {
  if (value === null) w.null();
  else if (value === undefined) w.undefined();
  else if (typeof value === "boolean") w.bool(value);
  else if (typeof value === "number") writeNumber(w, value);
  else if (typeof value === "string") w.text(value);
  else if (Array.isArray(value)) {
    w.arrayHead(value.length);
    for (let i = 0; i < value.length; i++) writeValue(w, value[i]);
  } else if (value instanceof Uint8Array) w.byteString(value);
  else if (typeof value === "object" && !isBinaryView(value as { buffer?: unknown })) {
    writeObject(w, value as { [key: string]: unknown });
  } else {
    throw new Error(
      "cannot encode a " + typeof value + " value as CBOR (supported: null, boolean, number, " +
        "string, array, plain object, Uint8Array; write other typed arrays with writeTypedArray)",
    );
  }
}
