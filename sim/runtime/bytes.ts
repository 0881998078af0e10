import type { Realm } from "./realm.ts";

/**
 * Byte conversions as the interpreter does them. Strings are byte strings (char codes 0 to 255),
 * and any "data" argument (a number, a string, an array, a typed array, an ArrayBuffer) is read one
 * element at a time, each element becoming one byte.
 */

export function stringToBytes(text: string): Uint8Array {
  // Latin-1 encoding keeps the low byte of each char code, as `& 0xff` would.
  return Buffer.from(text, "latin1");
}

export function bytesToString(bytes: Uint8Array): string {
  // Latin-1 maps each byte to the char code of the same value: a byte string.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  // Cross-realm safe: sandbox ArrayBuffers are not instanceof the host's.
  return Object.prototype.toString.call(value) === "[object ArrayBuffer]";
}

/** Reads an Espruino "data" argument into bytes; `what` names the argument in the error. */
export function dataToBytes(realm: Realm, data: unknown, what: string): Uint8Array {
  // Fast paths for what drivers pass on every transaction: a byte array, or a flat list of numbers.
  // Typed arrays of the sandbox are not instanceof the host's; the copy keeps the caller's array its own.
  if (realm.isBytes(data) || data instanceof Uint8Array) return new Uint8Array(data);
  // Rest arguments (`writeTo(address, ...data)`) arrive wrapped in an array of one.
  if (Array.isArray(data) && data.length === 1 && typeof data[0] === "object") return dataToBytes(realm, data[0], what);
  if (Array.isArray(data) && allNumbers(data)) {
    const out = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = (data[i] as number) & 0xff;
    return out;
  }
  return dataToBytesSlow(realm, data, what);
}

/**
 * As dataToBytes, but a byte array is passed as it is, not copied: for a device that reads the bytes
 * during the call and keeps none of them (a bus transaction), which saves an allocation per transfer.
 */
export function dataAsBytes(realm: Realm, data: unknown, what: string): Uint8Array {
  return realm.isBytes(data) ? data : dataToBytes(realm, data, what);
}

function allNumbers(items: unknown[]): boolean {
  for (let i = 0; i < items.length; i++) if (typeof items[i] !== "number") return false;
  return true;
}

function dataToBytesSlow(realm: Realm, data: unknown, what: string): Uint8Array {
  const out: number[] = [];
  const add = (value: unknown): void => {
    if (typeof value === "number") out.push(value & 0xff);
    else if (typeof value === "string") for (let i = 0; i < value.length; i++) out.push(value.charCodeAt(i) & 0xff);
    else if (typeof value === "boolean") out.push(value ? 1 : 0);
    else if (Array.isArray(value)) for (const item of value) add(item);
    else if (isArrayBuffer(value)) out.push(...new Uint8Array(value));
    else if (ArrayBuffer.isView(value) && Object.prototype.toString.call(value) !== "[object DataView]") {
      const items = value as unknown as ArrayLike<number>;
      for (let i = 0; i < items.length; i++) out.push(Number(items[i]) & 0xff);
    } else if (ArrayBuffer.isView(value)) out.push(...new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    else throw realm.error("TypeError", `${what}: expected a number, string, array or typed array, got ${value === null ? "null" : typeof value}`);
  };
  if (data !== undefined) add(data);
  return Uint8Array.from(out);
}
