import { crc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FRAME_DATA, FRAME_DELIVERED, decodeFrame, encodeFrame, frameId } from "../../protocol/wire/serial-frame.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("serial frames", () => {
  it("encodes type, id and payload, CRC-32 little-endian, COBS and one delimiter", () => {
    // body 01 0001 00 ff, CRC-32 of it appended; the zeros become COBS run lengths
    const body = Uint8Array.from([0x01, 0x00, 0x01, 0x00, 0xff]);
    const crc = crc32(body);
    const crcBytes = [crc & 255, (crc >>> 8) & 255, (crc >>> 16) & 255, crc >>> 24];
    expect(crcBytes.every((b) => b !== 0)).toBe(true);
    expect(hex(encodeFrame(FRAME_DATA, 1, Uint8Array.from([0x00, 0xff]), crc32))).toBe(hex(Uint8Array.from([0x02, 0x01, 0x02, 0x01, 0x02 + 4, 0xff, ...crcBytes, 0x00])));
  });

  it("splits runs of 254 non-zero bytes as COBS does", () => {
    const payload = new Uint8Array(600).fill(7);
    const frame = encodeFrame(FRAME_DATA, 0x0102, payload, crc32);
    expect(frame.indexOf(0)).toBe(frame.length - 1);
    // 607 body bytes without a zero: runs of 254 with code 0xff, then the rest
    expect([frame[0], frame[255], frame[510]]).toEqual([0xff, 0xff, 607 - 2 * 254 + 1]);
    const body = decodeFrame(frame.subarray(0, frame.length - 1), crc32)!;
    expect(body[0]).toBe(FRAME_DATA);
    expect(frameId(body)).toBe(0x0102);
    expect(hex(body.subarray(3))).toBe(hex(payload));
  });

  it("decodes whatever it encodes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 65535 }), fc.uint8Array({ maxLength: 1200 }), (type, id, payload) => {
        const frame = encodeFrame(type, id, payload, crc32);
        expect(frame.subarray(0, -1).includes(0)).toBe(false);
        const body = decodeFrame(frame.subarray(0, -1), crc32)!;
        expect(body[0]).toBe(type);
        expect(frameId(body)).toBe(id);
        expect(hex(body.subarray(3))).toBe(hex(payload));
      }),
    );
  });

  it("refuses a frame with any byte changed, and one too short to hold a header", () => {
    const frame = encodeFrame(FRAME_DELIVERED, 77, Uint8Array.from([1, 2, 3, 4, 5]), crc32).subarray(0, -1);
    for (let i = 0; i < frame.length; i++) {
      const bad = frame.slice();
      bad[i] = bad[i]! ^ 0x10 || 1;
      expect(decodeFrame(bad, crc32)).toBeUndefined();
    }
    expect(decodeFrame(Uint8Array.from([0x03, 0x01, 0x02]), crc32)).toBeUndefined();
    expect(decodeFrame(new Uint8Array(0), crc32)).toBeUndefined();
  });
});
