import {
  KIND_OFFSET,
  KIND_WRAP,
  LENGTH_OFFSET,
  RECORD_HEADER_BYTES,
  STATE_DELIVERED,
  STATE_OFFSET,
  recordBytes,
  writeHeader,
  type RecordMeta,
} from "./record.ts";

/**
 * Records in one preallocated byte ring, oldest first. Three positions split it: [tail, next) was
 * handed to the link and waits for its acknowledgement, [next, head) waits to be sent. A record's
 * payload stays contiguous (the MQTT client sends straight from it), so a record that would cross
 * the end starts again at 0 behind a wrap marker. Nothing here allocates.
 */
export class RamRing {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  private tail = 0;
  private nextPos = 0;
  private head = 0;
  /** Records in [tail, head). */
  records = 0;
  /** Records in [next, head). */
  private unsentCount = 0;
  /** Bytes in [tail, head), wrap waste included. */
  used_B = 0;

  constructor(size_B: number) {
    this.bytes = new Uint8Array(size_B & ~3);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Appends a record; false when it does not fit now. */
  append(meta: RecordMeta, payload: Uint8Array): boolean {
    const need = recordBytes(payload.length);
    const size = this.bytes.length;
    let at = this.head;
    let waste = 0;
    if (this.records === 0) {
      this.tail = this.nextPos = this.head = at = 0;
      if (need > size) return false;
    } else if (this.head > this.tail) {
      if (need > size - this.head) {
        if (need > this.tail) return false;
        waste = size - this.head;
        at = 0;
      }
    } else if (this.head + need > this.tail) {
      return false;
    }
    if (waste > 0) this.bytes[this.head + KIND_OFFSET] = KIND_WRAP;
    writeHeader(this.view, at, meta, payload.length);
    this.bytes.set(payload, at + RECORD_HEADER_BYTES);
    if (this.unsentCount === 0) this.nextPos = at;
    this.head = at + need;
    this.used_B += need + waste;
    this.records++;
    this.unsentCount++;
    return true;
  }

  /** Where the record at `pos` really starts: past a wrap marker or the end, at 0. */
  private normalise(pos: number): number {
    if (pos === this.bytes.length) return 0;
    if (pos !== this.head && this.bytes[pos + KIND_OFFSET] === KIND_WRAP) return 0;
    return pos;
  }

  private after(pos: number): number {
    return this.normalise(pos + recordBytes(this.view.getUint16(pos + LENGTH_OFFSET, true)));
  }

  /** Position of the oldest unsent record, or -1. */
  peekUnsent(): number {
    if (this.unsentCount === 0) return -1;
    this.nextPos = this.normalise(this.nextPos);
    return this.nextPos;
  }

  /** The oldest unsent record was handed to the link. */
  markSent(): void {
    const pos = this.peekUnsent();
    if (pos < 0) return;
    this.nextPos = this.after(pos);
    this.unsentCount--;
  }

  payloadLength(pos: number): number {
    return this.view.getUint16(pos + LENGTH_OFFSET, true);
  }

  /** The record at `pos` was acknowledged: frees it and every acknowledged record before it. */
  delivered(pos: number): void {
    this.bytes[pos + STATE_OFFSET] = STATE_DELIVERED;
    while (this.records > this.unsentCount) {
      const t = this.normalise(this.tail);
      if (this.bytes[t + STATE_OFFSET] !== STATE_DELIVERED) {
        this.tail = t;
        return;
      }
      const n = this.after(t);
      const freed = n > t ? n - t : this.bytes.length - t + n;
      this.used_B -= this.records === 1 ? this.used_B : freed;
      this.tail = n;
      this.records--;
    }
    if (this.records === 0) this.used_B = 0;
  }

  /**
   * Hands every record not yet delivered to `take`, oldest first, and empties the ring: the link is
   * gone, so sent and unsent alike must go to flash. With `unsentOnly`, records handed to the link
   * stay and only the unsent ones are taken.
   */
  drain(take: (pos: number) => void, unsentOnly: boolean): void {
    let pos = unsentOnly ? this.peekUnsent() : this.normalise(this.tail);
    let left = unsentOnly ? this.unsentCount : this.records;
    while (left-- > 0) {
      if (this.bytes[pos + STATE_OFFSET] !== STATE_DELIVERED) take(pos);
      pos = this.after(pos);
    }
    if (unsentOnly && this.records > this.unsentCount) {
      this.records -= this.unsentCount;
      this.unsentCount = 0;
      this.head = this.nextPos;
      this.used_B = this.head > this.tail ? this.head - this.tail : this.bytes.length - this.tail + this.head;
      return;
    }
    this.records = this.unsentCount = 0;
    this.tail = this.nextPos = this.head = 0;
    this.used_B = 0;
  }
}
