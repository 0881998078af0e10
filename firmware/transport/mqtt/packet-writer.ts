// Builds outgoing MQTT packets in one preallocated buffer, reused for every packet.
import { MAX_REMAINING_LENGTH } from "./packet-types.ts";
import { toByteString } from "./byte-string.ts";

export class PacketWriter {
  readonly buffer: Uint8Array;
  length = 0;

  constructor(capacity_B: number) {
    this.buffer = new Uint8Array(capacity_B);
  }

  reset(): void {
    this.length = 0;
  }

  private reserve(n: number): number {
    const at = this.length;
    if (at + n > this.buffer.length) {
      throw new Error("MQTT transmit buffer of " + this.buffer.length + " bytes overflowed at " + (at + n) + " bytes");
    }
    this.length = at + n;
    return at;
  }

  byte(value: number): void {
    this.buffer[this.reserve(1)] = value;
  }

  u16(value: number): void {
    const at = this.reserve(2);
    this.buffer[at] = value >> 8;
    this.buffer[at + 1] = value & 0xff;
  }

  /** Length-prefixed string (§1.5.3); a byte string, so UTF-8 must already be encoded. */
  text(value: string): void {
    const n = value.length;
    this.u16(n);
    const at = this.reserve(n);
    for (let i = 0; i < n; i++) this.buffer[at + i] = value.charCodeAt(i);
  }

  /** Length-prefixed binary data (will payload). */
  binary(data: Uint8Array): void {
    this.u16(data.length);
    this.buffer.set(data, this.reserve(data.length));
  }

  /**
   * First byte, then the remaining length as a base-128 varint (§2.2.3). Checks up front that
   * the packet fits, less `sentApart_B` bytes that go to the socket separately (a PUBLISH payload).
   */
  fixedHeader(first: number, remaining_B: number, sentApart_B?: number): void {
    if (remaining_B > MAX_REMAINING_LENGTH) {
      throw new Error("MQTT packet of " + remaining_B + " bytes exceeds the protocol limit of " + MAX_REMAINING_LENGTH);
    }
    const lengthBytes = remaining_B < 0x80 ? 1 : remaining_B < 0x4000 ? 2 : remaining_B < 0x200000 ? 3 : 4;
    const buffered_B = 1 + lengthBytes + remaining_B - (sentApart_B === undefined ? 0 : sentApart_B);
    if (this.length + buffered_B > this.buffer.length) {
      throw new Error(
        "MQTT packet needs " + buffered_B + " bytes of transmit buffer but it holds " + this.buffer.length +
          " (raise txCapacity_B or shorten the topic, client id or will)",
      );
    }
    this.byte(first);
    let n = remaining_B;
    do {
      let digit = n & 0x7f;
      n >>>= 7;
      if (n > 0) digit |= 0x80;
      this.byte(digit);
    } while (n > 0);
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  toByteString(): string {
    return toByteString(this.bytes());
  }
}

/** MQTT strings and binary fields carry a 16-bit length (§1.5.3). */
export function checkFieldLength(what: string, length_B: number): void {
  if (length_B > 65535) {
    throw new Error("MQTT " + what + " of " + length_B + " bytes is longer than the 65535 bytes a field can hold");
  }
}
