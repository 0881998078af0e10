import { Encoder } from "cbor-x";
import type { Birth } from "../../protocol/schema/birth.ts";
import type { Data } from "../../protocol/schema/data.ts";

/** Encodes as the boards do: plain maps, untagged byte strings, RFC 8746 tags for typed arrays. */
export const encoder = new Encoder({ useRecords: false, tagUint8Array: false });

export function encode(value: unknown): Uint8Array {
  return encoder.encode(value);
}

/** Zigzag LEB128 deltas, written independently of the decoder under test: first code absolute, then differences. */
export function deltaEncode(codes: readonly number[]): Uint8Array {
  const bytes: number[] = [];
  let previous = 0;
  codes.forEach((code, k) => {
    const delta = k === 0 ? code : code - previous;
    previous = code;
    let zigzag = delta >= 0 ? 2 * delta : -2 * delta - 1;
    while (zigzag >= 128) {
      bytes.push((zigzag % 128) + 128);
      zigzag = Math.floor(zigzag / 128);
    }
    bytes.push(zigzag);
  });
  return Buffer.from(bytes);
}

/** Every field differs from every other, so swapped keys or channels show up as wrong values. */
export function makeBirth(): Birth {
  return {
    board: "cell-07",
    boot: 305419896,
    channels: [
      { id: "p1", quantity: "pressure", unit: "kPa", sensor: "ads1115", rate_hz: 10, every: 10, raw: "i16", cal: { kind: "linear", gain: 0.0078125, offset: -3.5 }, cfg: { addr: 72, pga: 2 } },
      { id: "t1", quantity: "temperature", unit: "degC", sensor: "ntc10k", rate_hz: 5, every: 20, raw: "s16", cal: { kind: "linear", gain: 0.01, offset: 1.25 }, cfg: { pin: "A5" } },
      { id: "s1", quantity: "stress", unit: "N/m", sensor: "photodiode", rate_hz: 25, every: 4, raw: "i32", cal: { kind: "linear", gain: 0.0025, offset: 7 }, cfg: { led_mA: 3 } },
    ],
    clock: { source: "ntp", offset_us: -1234 },
    fw: { version: "0.3.1", build: "a1b2c3d4" },
    profile: "espruino-wifi",
    rig: "rig-A",
    seq: 41,
    t: 1_754_000_000_123_456,
    tick_us: 10_000,
    v: 1,
  };
}

export const P1_CODES = [1000, 1003, 998, 1010, -32768, 32767];
export const T1_CODES = [2500, 2512, 2498];
export const S1_CODES = [-7, 100000, -2000000, 5, 123456, 9, 70000, -1, 0, 8, 2147483647, -2147483648, 42, 43, 44];

/** The data frame `seq` of boot `birth.boot`, its blocks a delta byte string, an Int16Array and an Int32Array. */
export function makeData(birth: Birth, seq = birth.seq, t = 1_754_000_001_000_000): Data {
  return {
    b: birth.boot,
    c: [deltaEncode(P1_CODES), new Int16Array(T1_CODES), new Int32Array(S1_CODES)],
    f: 1,
    j: 250,
    o: [0, 3, 1],
    p: birth.tick_us,
    q: [0, 8, 2],
    s: seq,
    t,
    v: 1,
  };
}
