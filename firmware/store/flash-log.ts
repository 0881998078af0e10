import { BACKFILL_ENTRY, backfillOffset } from "./backfill.ts";
import {
  CRC_FROM,
  CRC_OFFSET,
  KIND_DATA,
  KIND_ERASED,
  KIND_OFFSET,
  LENGTH_OFFSET,
  RECORD_HEADER_BYTES,
  STATE_OFFSET,
  STATE_PENDING,
  emptyMeta,
  readHeader,
  recordBytes,
  writeHeader,
  type RecordMeta,
} from "./record.ts";

/**
 * Records in flash, oldest first, in segment files of SEGMENT_BYTES written with
 * `Storage.write(name, data, offset)` into erased space (never a StorageFile: a 0xFF in a payload
 * would end it). Segment names carry a number that only grows, so `Storage.list` is the index a
 * reboot needs: no index file is rewritten (and worn) per record. A record is committed by its CRC,
 * written last; a torn record ends its segment. Delivery clears the record's state byte in place;
 * a segment whose records are all delivered is erased. When the budget of segments is spent the
 * oldest segment goes, and what it still held is counted for the gap message.
 */

export const SEGMENT_PREFIX = "cellrig.q";
/** With the Storage library's 32-byte file header, one segment is one 4096-byte flash page. */
export const SEGMENT_BYTES = 4064;
/** Flash taken by one segment, its file header included. */
export const SEGMENT_FOOTPRINT_BYTES = 4096;
/** "CRQ1" at offset 0: a write at offset 0 would re-create the file, so no record starts there. */
const SEGMENT_MAGIC = "CRQ1";
const FIRST_RECORD = 4;

export interface DroppedRecord {
  (meta: RecordMeta): void;
}

export class FlashLog {
  private readonly storage: StorageModule;
  /** Segments the log may take at most. */
  readonly maxSegments: number;
  /** Segments oldest first, as a ring of `maxSegments` entries from `first`. */
  private readonly numbers: Int32Array;
  private readonly pending: Int16Array;
  private readonly ends: Int16Array;
  private first = 0;
  /** Segments in use. */
  segments = 0;
  /** The segment being appended to is the newest one, while this is true. */
  private writable = false;
  private nextNumber = 0;
  /** Read cursor: index from `first` and offset of the next record to send. */
  private readIndex = 0;
  private readOff = FIRST_RECORD;
  private readonly scratch = new Uint8Array(RECORD_HEADER_BYTES);
  private readonly scratchView = new DataView(this.scratch.buffer);
  private readonly single = new Uint8Array(1);
  private readonly entry = new Uint8Array(BACKFILL_ENTRY);
  private readonly meta = emptyMeta();
  private readonly onDrop: DroppedRecord;
  /** Records not yet delivered. */
  records = 0;

  constructor(storage: StorageModule, maxSegments: number, onDrop: DroppedRecord) {
    if (maxSegments < 2) throw new Error("the flash store needs at least 2 segments of " + SEGMENT_FOOTPRINT_BYTES + " bytes (give store.flash_bytes at least " + 2 * SEGMENT_FOOTPRINT_BYTES + ")");
    this.storage = storage;
    this.maxSegments = maxSegments;
    this.numbers = new Int32Array(maxSegments);
    this.pending = new Int16Array(maxSegments);
    this.ends = new Int16Array(maxSegments);
    this.onDrop = onDrop;
    this.recover();
  }

  private slot(index: number): number {
    return (this.first + index) % this.maxSegments;
  }

  private name(index: number): string {
    return SEGMENT_PREFIX + this.numbers[this.slot(index)];
  }

  /** Reads the header of the record at `off` in segment `index` into scratch; false when there is none. */
  private header(index: number, off: number): boolean {
    if (off + RECORD_HEADER_BYTES > SEGMENT_BYTES) return false;
    const text = this.storage.read(this.name(index), off, RECORD_HEADER_BYTES);
    if (text === undefined || text.length < RECORD_HEADER_BYTES) return false;
    for (let i = 0; i < RECORD_HEADER_BYTES; i++) this.scratch[i] = text.charCodeAt(i);
    return this.scratch[KIND_OFFSET] !== KIND_ERASED;
  }

  private crcOf(index: number, off: number, payload_B: number): number {
    const text = this.storage.read(this.name(index), off + CRC_FROM, RECORD_HEADER_BYTES - CRC_FROM + payload_B) as string;
    return E.CRC32(text) >>> 0;
  }

  /** Finds the segments a previous boot left, checks their records, and drops what is delivered or torn. */
  private recover(): void {
    const names = this.storage.list(/^cellrig\.q\d+$/);
    const found: number[] = [];
    for (let i = 0; i < names.length; i++) found.push(parseInt(names[i].substring(SEGMENT_PREFIX.length), 10));
    found.sort(function (a, b) {
      return a - b;
    });
    // more than the budget (a smaller budget now): the oldest go
    while (found.length > this.maxSegments) this.storage.erase(SEGMENT_PREFIX + found.shift());
    for (let i = 0; i < found.length; i++) {
      const s = this.slot(this.segments);
      this.numbers[s] = found[i];
      this.segments++;
      let off = FIRST_RECORD;
      let pendingHere = 0;
      while (this.header(this.segments - 1, off)) {
        const len = this.scratchView.getUint16(LENGTH_OFFSET, true);
        const end = off + recordBytes(len);
        if (end > SEGMENT_BYTES || this.scratchView.getUint32(CRC_OFFSET, true) !== this.crcOf(this.segments - 1, off, len)) break;
        if (this.scratch[STATE_OFFSET] === STATE_PENDING) pendingHere++;
        off = end;
      }
      this.pending[s] = pendingHere;
      this.ends[s] = off;
      this.records += pendingHere;
      this.nextNumber = found[i] + 1;
      if (pendingHere === 0) {
        this.storage.erase(SEGMENT_PREFIX + found[i]);
        this.segments--;
      }
    }
    this.readIndex = 0;
    this.readOff = FIRST_RECORD;
  }

  /**
   * Appends a record; with `backfill`, a data frame gets its backfill flag on the way. Drops the
   * oldest segment when the budget or the flash is full. False when even an empty log cannot take it.
   */
  append(meta: RecordMeta, payload: Uint8Array, backfill: boolean): boolean {
    const patchAt = backfill && meta.kind === KIND_DATA ? backfillOffset(payload) : -1;
    const length = payload.length + (patchAt >= 0 ? BACKFILL_ENTRY.length : 0);
    const need = recordBytes(length);
    if (FIRST_RECORD + need > SEGMENT_BYTES) return false;
    for (let attempt = 0; attempt <= this.maxSegments; attempt++) {
      try {
        if (!this.writable || this.ends[this.slot(this.segments - 1)] + need > SEGMENT_BYTES) this.open();
        this.write(meta, payload, patchAt, length);
        return true;
      } catch (err) {
        // the flash itself is full (files other than ours took the room): make room and try again
        this.writable = false;
        if (this.segments === 0) return false;
        this.dropOldest();
      }
    }
    return false;
  }

  private open(): void {
    if (this.segments === this.maxSegments) this.dropOldest();
    const s = this.slot(this.segments);
    this.numbers[s] = this.nextNumber;
    this.pending[s] = 0;
    this.ends[s] = FIRST_RECORD;
    this.writable = false;
    this.storage.write(SEGMENT_PREFIX + this.nextNumber, SEGMENT_MAGIC, 0, SEGMENT_BYTES);
    this.nextNumber++;
    this.segments++;
    this.writable = true;
  }

  private write(meta: RecordMeta, payload: Uint8Array, patchAt: number, length: number): void {
    const index = this.segments - 1;
    const s = this.slot(index);
    const name = this.name(index);
    const off = this.ends[s];
    const st = this.storage;
    writeHeader(this.scratchView, 0, meta, length);
    st.write(name, this.scratch, off);
    const at = off + RECORD_HEADER_BYTES;
    if (patchAt < 0) {
      st.write(name, payload, at);
    } else {
      this.single[0] = payload[0] + 1;
      st.write(name, this.single, at);
      if (patchAt > 1) st.write(name, payload.subarray(1, patchAt), at + 1);
      st.write(name, this.entry, at + patchAt);
      if (patchAt < payload.length) st.write(name, payload.subarray(patchAt), at + patchAt + BACKFILL_ENTRY.length);
    }
    this.scratchView.setUint32(0, this.crcOf(index, off, length), true);
    st.write(name, this.scratch.subarray(0, 4), off + CRC_OFFSET);
    this.ends[s] = off + recordBytes(length);
    this.pending[s]++;
    this.records++;
  }

  /** Erases the oldest segment, reporting each record it still held. */
  private dropOldest(): void {
    let off = FIRST_RECORD;
    const s = this.slot(0);
    while (off < this.ends[s] && this.header(0, off)) {
      const len = this.scratchView.getUint16(LENGTH_OFFSET, true);
      if (this.scratch[STATE_OFFSET] === STATE_PENDING) {
        readHeader(this.scratchView, 0, this.meta);
        this.onDrop(this.meta);
      }
      off += recordBytes(len);
    }
    this.records -= this.pending[s];
    this.removeFirst();
  }

  private removeFirst(): void {
    this.storage.erase(this.name(0));
    if (this.segments === 1) this.writable = false;
    this.first = this.slot(1);
    this.segments--;
    if (this.readIndex > 0) this.readIndex--;
    else this.readOff = FIRST_RECORD;
  }

  /**
   * The oldest record not yet handed out: its payload (a copy, which the link keeps until the
   * acknowledgement) and where it is, in `where` ([segment number, offset]); undefined when none.
   */
  next(where: Int32Array, meta: RecordMeta): Uint8Array | undefined {
    while (this.readIndex < this.segments) {
      const s = this.slot(this.readIndex);
      if (this.readOff < this.ends[s] && this.header(this.readIndex, this.readOff)) {
        const off = this.readOff;
        const len = this.scratchView.getUint16(LENGTH_OFFSET, true);
        this.readOff += recordBytes(len);
        if (this.scratch[STATE_OFFSET] !== STATE_PENDING) continue;
        readHeader(this.scratchView, 0, meta);
        where[0] = this.numbers[s];
        where[1] = off;
        return E.toUint8Array(this.storage.read(this.name(this.readIndex), off + RECORD_HEADER_BYTES, len) as string);
      }
      if (this.readIndex === this.segments - 1) return undefined;
      this.readIndex++;
      this.readOff = FIRST_RECORD;
    }
    return undefined;
  }

  /** Everything handed out and not acknowledged is to be handed out again (the link dropped it). */
  rewind(): void {
    this.readIndex = 0;
    this.readOff = FIRST_RECORD;
  }

  /** The record at [segment number, offset] was acknowledged; a fully delivered segment is erased. */
  delivered(segment: number, off: number): void {
    let index = -1;
    for (let i = 0; i < this.segments; i++) if (this.numbers[this.slot(i)] === segment) index = i;
    if (index < 0) return;
    const s = this.slot(index);
    const name = this.name(index);
    if (this.storage.read(name, off + STATE_OFFSET, 1) !== String.fromCharCode(STATE_PENDING)) return;
    this.single[0] = 0;
    this.storage.write(name, this.single, off + STATE_OFFSET);
    this.pending[s]--;
    this.records--;
    // delivered segments free their page at once; the next record opens a new one
    while (this.segments > 0 && this.pending[this.slot(0)] === 0) this.removeFirst();
  }
}
