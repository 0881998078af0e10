// Splits the byte stream from the broker into MQTT 3.1.1 packets in a fixed-size receive buffer
// and hands each decoded packet to a handler. Malformed input throws; the caller drops the link.
import { CONNACK, PINGRESP, PUBACK, PUBLISH, SUBACK } from "./packet-types.ts";
import { toByteString } from "./byte-string.ts";

/** What the parser reports; each call covers one complete packet. */
export interface PacketHandler {
  connack(sessionPresent: boolean, returnCode: number): void;
  /** `payload` is a view into the receive buffer, valid only during the call. */
  publish(topic: string, payload: Uint8Array, qos: 0 | 1, packetId: number): void;
  puback(packetId: number): void;
  /** `returnCode` is the granted QoS, or 0x80 for a refused subscription (§3.9.3). */
  suback(packetId: number, returnCode: number): void;
  pingresp(): void;
  /** A packet larger than the receive buffer, discarded unread; packetId is 0 unless QoS 1. */
  tooLarge(type: number, size_B: number, qos: number, packetId: number): void;
}

export class PacketParser {
  private readonly buffer: Uint8Array;
  private readonly handler: PacketHandler;
  private length = 0;
  /** Bytes of a discarded oversized packet still to come. */
  private skip_B = 0;
  /** Bumped by reset, so a handler that resets the parser stops the loop over the old bytes. */
  private generation = 0;

  constructor(capacity_B: number, handler: PacketHandler) {
    this.buffer = new Uint8Array(capacity_B);
    this.handler = handler;
  }

  /** Forgets partial input: call for every new connection. */
  reset(): void {
    this.length = 0;
    this.skip_B = 0;
    this.generation++;
  }

  /** Takes a chunk of the stream as a byte string (what Espruino's sockets deliver). */
  feed(data: string): void {
    const n = data.length;
    const generation = this.generation;
    let i = 0;
    while (i < n && generation === this.generation) {
      if (this.skip_B > 0) {
        const k = Math.min(this.skip_B, n - i);
        this.skip_B -= k;
        i += k;
        continue;
      }
      const k = Math.min(this.buffer.length - this.length, n - i);
      for (let j = 0; j < k; j++) this.buffer[this.length + j] = data.charCodeAt(i + j);
      this.length += k;
      i += k;
      this.parse();
    }
  }

  private parse(): void {
    const generation = this.generation;
    let at = 0;
    for (;;) {
      const used = this.parseAt(at);
      if (used === 0 || generation !== this.generation) break;
      at += used;
    }
    if (generation !== this.generation || at === 0) return;
    const b = this.buffer;
    const rest = this.length - at;
    for (let j = 0; j < rest; j++) b[j] = b[at + j];
    this.length = rest;
  }

  /** Handles the packet starting at `at`; returns the bytes it used, 0 if it is incomplete. */
  private parseAt(at: number): number {
    const b = this.buffer;
    const available = this.length - at;
    let remaining = 0;
    let multiplier = 1;
    let headerLength = 1;
    for (;;) {
      if (headerLength >= available) return 0;
      const digit = b[at + headerLength];
      remaining += (digit & 0x7f) * multiplier;
      headerLength++;
      if ((digit & 0x80) === 0) break;
      if (headerLength === 5) throw new Error("remaining length runs past 4 bytes");
      multiplier *= 128;
    }
    const total = headerLength + remaining;
    if (total > b.length) return this.discard(at, headerLength, total);
    if (available < total) return 0;
    this.dispatch(at, headerLength, remaining);
    return total;
  }

  /** An oversized packet: report it (with its packet id, so a QoS 1 command can be acknowledged) and skip it. */
  private discard(at: number, headerLength: number, total: number): number {
    const b = this.buffer;
    const available = this.length - at;
    const first = b[at];
    const type = first >> 4;
    const qos = (first >> 1) & 3;
    let packetId = 0;
    if (type === PUBLISH && qos > 0) {
      if (available < headerLength + 2) return 0;
      const idAt = headerLength + 2 + ((b[at + headerLength] << 8) | b[at + headerLength + 1]);
      if (idAt + 2 > b.length) {
        throw new Error("PUBLISH of " + total + " bytes has a topic too long for the " + b.length + "-byte receive buffer");
      }
      if (available < idAt + 2) return 0;
      packetId = (b[at + idAt] << 8) | b[at + idAt + 1];
    }
    this.skip_B = total - available;
    this.handler.tooLarge(type, total, qos, packetId);
    return available;
  }

  private dispatch(at: number, headerLength: number, remaining: number): void {
    const b = this.buffer;
    const first = b[at];
    const type = first >> 4;
    const v = at + headerLength;
    const h = this.handler;
    if (type === PUBLISH) {
      const qos = (first >> 1) & 3;
      if (qos > 1) throw new Error("PUBLISH with QoS " + qos + ": the board subscribes with QoS 0 or 1 only");
      const topicLength = (b[v] << 8) | b[v + 1];
      let p = v + 2 + topicLength;
      let packetId = 0;
      if (qos > 0) {
        packetId = (b[p] << 8) | b[p + 1];
        p += 2;
      }
      if (p > v + remaining) throw new Error("PUBLISH topic runs past the end of the packet");
      h.publish(toByteString(b.subarray(v + 2, v + 2 + topicLength)), b.subarray(p, v + remaining), qos as 0 | 1, packetId);
      return;
    }
    if (type === CONNACK) {
      expectLength("CONNACK", remaining, 2);
      h.connack((b[v] & 1) === 1, b[v + 1]);
    } else if (type === PUBACK) {
      expectLength("PUBACK", remaining, 2);
      h.puback((b[v] << 8) | b[v + 1]);
    } else if (type === SUBACK) {
      if (remaining < 3) throw new Error("SUBACK of " + remaining + " bytes is shorter than 3");
      h.suback((b[v] << 8) | b[v + 1], b[v + 2]);
    } else if (type === PINGRESP) {
      expectLength("PINGRESP", remaining, 0);
      h.pingresp();
    } else {
      throw new Error("unexpected packet type " + type + " for a client");
    }
  }
}

function expectLength(name: string, remaining: number, expected: number): void {
  if (remaining !== expected) {
    throw new Error(name + " has a remaining length of " + remaining + " bytes instead of " + expected);
  }
}
