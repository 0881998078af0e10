// Frames of the serial transport (docs/PROTOCOL.md "Serial transport"), shared by the boards that
// talk to a gateway over USB or Bluetooth LE UART and by the gateway. Espruino-safe.
//
// On the wire a frame is COBS(body ‖ CRC-32 of body, little-endian) followed by one 0x00 byte. COBS
// (Cheshire & Baker 1999) leaves no zero inside a frame, so a receiver that joins mid-stream or
// drops bytes finds the next frame at the next zero. The body is one type byte, a 16-bit id (big
// endian) and the payload:
//
//   board → gateway: FRAME_DATA … FRAME_HEALTH carry a message's CBOR payload unchanged; id > 0 asks
//   for FRAME_DELIVERED once the broker has acknowledged it, id 0 asks for nothing. FRAME_ALIVE
//   answers FRAME_PING.
//   gateway → board: FRAME_DELIVERED (id of the delivered frame), FRAME_CMD (a command the gateway
//   has parsed, as JSON text), FRAME_HELLO (a gateway opened the link: send the birth), FRAME_PING.

export const FRAME_DATA = 1;
export const FRAME_ALARM = 2;
export const FRAME_ACK = 3;
export const FRAME_GAP = 4;
export const FRAME_BIRTH = 5;
export const FRAME_HEALTH = 6;
export const FRAME_ALIVE = 7;
export const FRAME_DELIVERED = 0x81;
export const FRAME_CMD = 0x82;
export const FRAME_HELLO = 0x83;
export const FRAME_PING = 0x84;

/** Body bytes before the payload: type, id high, id low. */
export const FRAME_HEADER_BYTES = 3;
export const CRC_BYTES = 4;

/** The message kind (topic level) each board frame type is published as. */
export const FRAME_KINDS: { [type: number]: "data" | "alarm" | "ack" | "gap" | "birth" | "health" } = { 1: "data", 2: "alarm", 3: "ack", 4: "gap", 5: "birth", 6: "health" };

/**
 * The frame for `payload` ready to write, delimiter included. `crc32` is E.CRC32 on a board, any
 * standard CRC-32 (IEEE 802.3, as zlib's) elsewhere.
 */
export function encodeFrame(type: number, id: number, payload: Uint8Array, crc32: (bytes: Uint8Array) => number): Uint8Array {
  const n = FRAME_HEADER_BYTES + payload.length;
  const body = new Uint8Array(n + CRC_BYTES);
  body[0] = type;
  body[1] = (id >> 8) & 255;
  body[2] = id & 255;
  body.set(payload, FRAME_HEADER_BYTES);
  const crc = crc32(body.subarray(0, n));
  for (let i = 0; i < CRC_BYTES; i++) body[n + i] = (crc >>> (8 * i)) & 255;
  // COBS: each run of non-zero bytes (at most 254) is preceded by its length + 1, standing for the zero after it
  const out = new Uint8Array(body.length + Math.ceil(body.length / 254) + 2);
  let code = 0;
  let o = 1;
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== 0) out[o++] = body[i];
    if (body[i] === 0 || o - code === 255) {
      out[code] = o - code;
      code = o++;
    }
  }
  out[code] = o - code;
  out[o] = 0;
  return out.subarray(0, o + 1);
}

/**
 * The body (type, id, payload) of one frame as received, delimiter excluded, or undefined when it is
 * not COBS or its CRC does not match: a frame damaged on the link, which its sender sends again.
 */
export function decodeFrame(frame: Uint8Array, crc32: (bytes: Uint8Array) => number): Uint8Array | undefined {
  const out = new Uint8Array(frame.length);
  let o = 0;
  let i = 0;
  while (i < frame.length) {
    const code = frame[i++];
    if (code === 0 || i + code - 1 > frame.length) return undefined;
    for (let k = 1; k < code; k++) out[o++] = frame[i++];
    if (code < 255 && i < frame.length) out[o++] = 0;
  }
  const n = o - CRC_BYTES;
  if (n < FRAME_HEADER_BYTES) return undefined;
  const crc = (out[n] | (out[n + 1] << 8) | (out[n + 2] << 16) | (out[n + 3] << 24)) >>> 0;
  return crc === crc32(out.subarray(0, n)) >>> 0 ? out.subarray(0, n) : undefined;
}

/** The id of a decoded body. */
export function frameId(body: Uint8Array): number {
  return (body[1] << 8) | body[2];
}
