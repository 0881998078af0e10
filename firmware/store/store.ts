import { CborWriter } from "../../protocol/wire/cbor-writer.ts";
import type { GapMessage } from "../../protocol/wire/gap.ts";
import { writeValue } from "../../protocol/wire/cbor-value.ts";
import { PROTOCOL_VERSION } from "../../protocol/wire/data-frame.ts";
import { BACKFILL_ENTRY, backfillOffset } from "./backfill.ts";
import {
  BOOT_OFFSET,
  CRC_FROM,
  FIRST_OFFSET,
  CRC_OFFSET,
  KIND_DATA,
  KIND_ERASED,
  KIND_OFFSET,
  KIND_WRAP,
  LENGTH_OFFSET,
  RECORD_HEADER_BYTES,
  SEQ_OFFSET,
  STATE_DELIVERED,
  STATE_OFFSET,
  STATE_PENDING,
  emptyMeta,
  readHeader,
  recordBytes,
  writeHeader,
  type RecordMeta,
} from "./record.ts";

/** Record kind of a gap message: gaps are kept apart from the records (see Store). */
export const KIND_GAP = 4;
/** Where the pending gap messages survive a reboot. */
export const GAP_FILE = "cellrig.gap";
export const SEGMENT_PREFIX = "cellrig.q";
/** With the Storage library's 32-byte file header, one segment is one 4096-byte flash page. */
export const SEGMENT_BYTES = 4064;
/** Flash taken by one segment, its file header included. */
export const SEGMENT_FOOTPRINT_BYTES = 4096;
/**
 * Sequence marks (see Store): the boot id, then MARK_SLOTS entries of [oldest frame at risk, first
 * sequence number not reserved, time of that oldest frame in s], uint32 little-endian, written into
 * erased space; the time is written last, so an entry whose time is still erased is torn and ignored.
 */
export const MARK_FILE = "cellrig.seq";
/** Sequence numbers a mark reserves for data frames that go to RAM. */
export const MARK_EVERY = 64;
const MARK_ENTRY = 12;
const MARK_SLOTS = 10;
const MARK_FILE_BYTES = 4 + MARK_SLOTS * MARK_ENTRY;
/** A previous boot's range at risk longer than this is reported whole, without looking for its frames in flash. */
const MARK_SPAN_MAX = 4096;
/** "CRQ1" at offset 0: a write at offset 0 would re-create the file, so no record starts there. */
const SEGMENT_MAGIC = "CRQ1";
const FIRST_RECORD = 4;
/** Rows cellrig.gap holds at most: the Storage reserve (boards/limits.ts GAP_FILE_MAX_BYTES) counts this many. */
export const GAP_ROWS = 8;

/** The link the store publishes through. */
export interface StoreLink {
  /** Publishes at QoS 1; the packet id, or -1 when the link cannot take it now. */
  publish(kind: number, payload: Uint8Array): number;
}

export interface StoreOptions {
  storage: StorageModule;
  ram_B: number;
  flashSegments: number;
  /** Records published at once and awaiting acknowledgement; the link must take this many besides a birth and a gap. */
  window: number;
  link: StoreLink;
  /** This boot's id, written with the sequence marks. */
  boot: number;
}

/**
 * Store and forward: every message that must reach the host (data frames, alarms, acks) goes in
 * here and leaves only on the broker's acknowledgement. While the link is up, records wait in a RAM
 * ring; when the link goes down, or RAM is full, they go to flash, data frames with the backfill
 * flag set. Flash records are always older than the RAM ones, so delivery keeps the order they were
 * pushed in. When flash is full the oldest records go and a gap message says exactly which; gap
 * messages are published before any record and survive a reboot.
 *
 * After a lost link the link itself re-sends nothing (the MQTT client keeps no copies): the store
 * owns them, so in-flight records are re-published (flash: from their record; RAM: spilled to flash first). A
 * record that reached the broker just before the link broke is then delivered twice, which QoS 1
 * allows and the host resolves by (board, boot, seq).
 *
 * The RAM ring is one preallocated byte ring, oldest first. Three positions split it: [tail, next)
 * was handed to the link and waits for its acknowledgement, [next, head) waits to be sent. A
 * record's payload stays contiguous (the link sends straight from it), so a record that would cross
 * the end starts again at 0 behind a wrap marker.
 *
 * Flash holds records oldest first in segment files of SEGMENT_BYTES written with
 * `Storage.write(name, data, offset)` into erased space (never a StorageFile: a 0xFF in a payload
 * would end it). Segment names carry a number that only grows, so `Storage.list` is the index a
 * reboot needs: no index file is rewritten (and worn) per record. A record is committed by its CRC,
 * written last; a torn record ends its segment. Delivery clears the record's state byte in place; a
 * segment whose records are all delivered is erased. When the budget of segments is spent the
 * oldest segment goes, and what it still held is counted for the gap message.
 *
 * A reset or power loss takes the RAM ring with it. So that this loss too is reported, the store
 * writes a mark to MARK_FILE before a data frame goes to RAM beyond the numbers the last mark
 * reserved: the oldest data frame neither acknowledged nor in flash, and MARK_EVERY sequence
 * numbers reserved from this frame on. When the link goes down everything goes to flash, and a
 * mark says nothing is at risk. The next boot reports as a `power` gap every frame in the last
 * mark's range that is not in flash (numbers never used included: at most MARK_EVERY), before it
 * writes marks of its own. Wear: a mark is a 12-byte write into erased flash, and every MARK_SLOTS
 * marks the 124-byte file is written anew; at one frame a second that is 12 bytes of Storage every
 * 64 s, 16 KiB a day, which costs one compaction (one erase of the pages it moves) per day for each
 * 16 KiB Storage has free: with the 13 KiB an nRF52 board keeps free, some 1.3 erases a day, 20
 * years to the 10 000 cycles of its flash.
 *
 * One class on purpose: on a board every function costs RAM, so the ring, the flash log and the
 * forwarding share their state and helpers. The long methods reach the state through `self`, which
 * minifies to one letter where `this` stays four.
 */
export class Store {
  private readonly linkOut: StoreLink;
  private readonly storageModule: StorageModule;
  /** In-flight records: packet id (0 = free slot), RAM position or -1, flash segment and offset. */
  private readonly ids: Int32Array;
  private readonly ramPos: Int32Array;
  private readonly segs: Int32Array;
  private readonly offs: Int32Array;
  /** The record being spilled or published; dropMeta is the one a dropped flash record is reported with. */
  private readonly recMeta: RecordMeta = emptyMeta();
  private readonly dropMeta: RecordMeta = emptyMeta();
  private readonly gaps: GapMessage[] = [];
  private readonly gapWriter = new CborWriter(96);
  private gapId = -1;
  private linkUp = false;
  /** A Storage write or erase failed (Storage full) since health last looked: health reports STORAGE_FULL. */
  failed = false;

  private readonly ringBytes: Uint8Array;
  private readonly ringView: DataView;
  private ringTail = 0;
  private ringNext = 0;
  private ringHead = 0;
  /** Records in [tail, head) and in [next, head). */
  private ringRecords = 0;
  private ringUnsent = 0;
  /** Bytes in [tail, head), wrap waste included. */
  private ringUsed_B = 0;

  /** Segments the log may take at most. */
  private readonly segMax: number;
  /** Segments oldest first, as a ring of `segMax` entries from `segFirst`. */
  private readonly segNumbers: Int32Array;
  private readonly segPending: Int16Array;
  private readonly segEnds: Int16Array;
  private segFirst = 0;
  private segCount = 0;
  /** The segment being appended to is the newest one, while this is true. */
  private segWritable = false;
  private segNextNumber = 0;
  /** Read cursor: index from `segFirst` and offset of the next flash record to send. */
  private readIndex = 0;
  private readOff = FIRST_RECORD;
  private readonly scratch = new Uint8Array(RECORD_HEADER_BYTES);
  private readonly scratchView = new DataView(this.scratch.buffer);
  private readonly single = new Uint8Array(1);
  private readonly entryBytes = new Uint8Array(BACKFILL_ENTRY);
  /** Flash records not yet delivered. */
  private flashRecords = 0;
  private readonly boot: number;
  /** Sequence numbers reserved by the last mark (while `marked`), the next frame's, and the mark file's next free entry (MARK_SLOTS: write it anew). */
  private markHi = 0;
  private marked = false;
  private nextSeq = 0;
  private markSlot = MARK_SLOTS;

  constructor(o: StoreOptions) {
    const self = this;
    const max = o.flashSegments;
    if (max < 2) throw new Error("the flash store needs 2 segments at least: give store.flash_bytes 8192 or more");
    const storage = o.storage;
    this.linkOut = o.link;
    this.storageModule = storage;
    this.ids = new Int32Array(o.window);
    this.ramPos = new Int32Array(o.window);
    this.segs = new Int32Array(o.window);
    this.offs = new Int32Array(o.window);
    this.ringBytes = new Uint8Array(o.ram_B & ~3);
    this.ringView = new DataView(self.ringBytes.buffer);
    this.segMax = max;
    this.segNumbers = new Int32Array(max);
    this.segPending = new Int16Array(max);
    this.segEnds = new Int16Array(max);
    this.boot = o.boot;

    // Gaps a previous boot had not delivered. Times are kept as whole seconds and microseconds: the
    // interpreter prints numbers to about 11 digits, too few for µs since the epoch.
    const rows = storage.readJSON(GAP_FILE, true);
    if (Array.isArray(rows)) {
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i] as number[];
        self.gaps.push({ boot: r[0], reason: r[8] === 1 ? "power" : "storage", seq: r[1], frames: r[2], samples: r[3], from_us: r[4] * 1e6 + r[5], until_us: r[6] * 1e6 + r[7] });
      }
    }

    // The range of sequence numbers the previous boot had at risk (its last whole mark entry), and
    // which of them its records in flash account for.
    const marks = storage.read(MARK_FILE);
    let markBoot = -1;
    let lo = 0;
    let span = 0;
    let from_s = 0;
    if (marks !== undefined && marks.length === MARK_FILE_BYTES) {
      const m = new DataView(E.toUint8Array(marks).buffer);
      markBoot = m.getUint32(0, true);
      for (let at = 4; at < MARK_FILE_BYTES && m.getUint32(at + 8, true) !== 0xffffffff; at += MARK_ENTRY) {
        lo = m.getUint32(at, true);
        span = (m.getUint32(at + 4, true) - lo) >>> 0;
        from_s = m.getUint32(at + 8, true);
      }
    }
    const inFlash = new Uint8Array(span <= MARK_SPAN_MAX ? span : 0);
    // One past the newest frame of that boot in flash from lo on: the frame it was filling when the
    // power went, which no mark covers while the link was down.
    let top = 0;

    // The segments a previous boot left: their records are checked, delivered or torn ones dropped.
    const names = storage.list(/^cellrig\.q\d+$/);
    const found: number[] = [];
    for (let i = 0; i < names.length; i++) found.push(parseInt(names[i].substring(SEGMENT_PREFIX.length), 10));
    found.sort(function (a, b) {
      return a - b;
    });
    // more than the budget (a smaller budget now): the oldest go
    while (found.length > max) storage.erase(SEGMENT_PREFIX + found.shift());
    for (let i = 0; i < found.length; i++) {
      const s = self.segSlot(self.segCount);
      self.segNumbers[s] = found[i];
      self.segCount++;
      let off = FIRST_RECORD;
      let pendingHere = 0;
      while (self.flashHeader(self.segCount - 1, off)) {
        const len = self.scratchView.getUint16(LENGTH_OFFSET, true);
        const end = off + recordBytes(len);
        if (end > SEGMENT_BYTES || self.scratchView.getUint32(CRC_OFFSET, true) !== self.crcOf(self.segCount - 1, off, len)) break;
        if (self.scratch[STATE_OFFSET] === STATE_PENDING) pendingHere++;
        const k = (self.scratchView.getUint32(SEQ_OFFSET, true) - lo) >>> 0;
        if (self.scratch[KIND_OFFSET] === KIND_DATA && self.scratchView.getUint32(BOOT_OFFSET, true) === markBoot && k < 0x80000000) {
          if (k < inFlash.length) inFlash[k] = 1;
          if (k >= top) top = k + 1;
        }
        off = end;
      }
      self.segPending[s] = pendingHere;
      self.segEnds[s] = off;
      self.flashRecords += pendingHere;
      self.segNextNumber = found[i] + 1;
      if (pendingHere === 0) {
        storage.erase(SEGMENT_PREFIX + found[i]);
        self.segCount--;
      }
    }

    // Each run of the range at risk that flash does not hold is a gap; saved before the marks go, so
    // another reset now neither loses nor repeats it.
    const until_us = Math.max(from_s * 1e6, Math.floor(getTime()) * 1e6);
    for (let k = 0; k < span; ) {
      if (inFlash[k] === 1) {
        k++;
        continue;
      }
      let end = k + 1;
      while (end < span && inFlash[end] !== 1) end++;
      self.gaps.push({ boot: markBoot, reason: "power", seq: (lo + k) >>> 0, frames: end - k, samples: 0, from_us: from_s * 1e6, until_us: until_us });
      k = end;
    }
    if (markBoot >= 0 && top >= span) self.gaps.push({ boot: markBoot, reason: "power", seq: (lo + top) >>> 0, frames: 1, samples: 0, from_us: from_s * 1e6, until_us: until_us });
    if (markBoot >= 0) self.saveGaps();
    storage.erase(MARK_FILE);
    // This boot's first mark, before any frame: a power loss before the link ever comes up still
    // leaves the frame being filled reported.
    self.mark(0, 0, getTime() * 1e6);
    self.marked = false;
  }

  /** Records waiting for delivery, RAM and flash. */
  waiting(): number {
    return this.ringRecords + this.flashRecords;
  }

  /** Bytes taken and bytes available, RAM and flash together, for health. */
  used_B(): number {
    return this.ringUsed_B + this.segCount * SEGMENT_FOOTPRINT_BYTES;
  }

  total_B(): number {
    return this.ringBytes.length + this.segMax * SEGMENT_FOOTPRINT_BYTES;
  }

  /** Queues a message; the payload is copied, so the caller may reuse its buffer at once. */
  push(meta: RecordMeta, payload: Uint8Array): void {
    // With GAP_ROWS gaps pending, a reset could add a row no merge takes (another boot's): records
    // then go through flash, which a reset keeps, until the gaps are delivered.
    const ram = this.linkUp && this.gaps.length < GAP_ROWS;
    if (meta.kind === KIND_DATA) {
      this.nextSeq = (meta.seq + 1) >>> 0;
      // the reserve always covers the next frame too: it is being filled and lost with the power
      if (ram && (!this.marked || ((meta.seq + 1 - this.markHi) | 0) >= 0)) this.mark(meta.seq, MARK_EVERY, meta.first_us);
    }
    if (ram) {
      if (!this.ringAppend(meta, payload)) {
        this.spill(true);
        if (!this.ringAppend(meta, payload) && !this.flashAppend(meta, payload)) this.lost(meta);
      }
      this.pump();
      return;
    }
    if (!this.flashAppend(meta, payload)) this.lost(meta);
    this.pump();
  }

  /** The link is up: publish gaps, then flash, then RAM, oldest first. */
  up(): void {
    this.linkUp = true;
    this.pump();
  }

  /** The link is down and forgot what was in flight: everything undelivered goes to flash, and nothing is at risk. */
  down(): void {
    this.linkUp = false;
    this.ids.fill(0);
    this.gapId = -1;
    this.spill(false);
    this.readIndex = 0;
    this.readOff = FIRST_RECORD;
    if (this.marked) {
      this.mark(this.nextSeq, 0, getTime() * 1e6);
      this.marked = false;
    }
  }

  /** Re-sends from flash what is still there, from the oldest record on. */
  resend(): void {
    if (!this.linkUp) return;
    this.readIndex = 0;
    this.readOff = FIRST_RECORD;
    this.pump();
  }

  /** The broker acknowledged `packetId`; false if it was not one of the store's. */
  acked(packetId: number): boolean {
    const self = this;
    if (packetId === self.gapId) {
      self.gapId = -1;
      self.gaps.shift();
      self.saveGaps();
    } else {
      const i = self.ids.indexOf(packetId);
      if (i < 0) return false;
      self.ids[i] = 0;
      const pos = self.ramPos[i];
      const bytes = self.ringBytes;
      if (pos >= 0) {
        // frees the record and every acknowledged record before it
        bytes[pos + STATE_OFFSET] = STATE_DELIVERED;
        while (self.ringRecords > self.ringUnsent) {
          const t = self.normalise(self.ringTail);
          if (bytes[t + STATE_OFFSET] !== STATE_DELIVERED) {
            self.ringTail = t;
            break;
          }
          const n = self.ringAfter(t);
          self.ringUsed_B -= self.ringRecords === 1 ? self.ringUsed_B : n > t ? n - t : bytes.length - t + n;
          self.ringTail = n;
          self.ringRecords--;
        }
        if (self.ringRecords === 0) self.ringUsed_B = 0;
      } else {
        let index = -1;
        for (let j = 0; j < self.segCount; j++) if (self.segNumbers[self.segSlot(j)] === self.segs[i]) index = j;
        const name = index < 0 ? "" : self.segName(index);
        const off = self.offs[i] + STATE_OFFSET;
        if (index >= 0 && self.storageModule.read(name, off, 1) === String.fromCharCode(STATE_PENDING)) {
          self.single[0] = 0;
          self.write(name, self.single, off);
          self.segPending[self.segSlot(index)]--;
          self.flashRecords--;
          // delivered segments free their page at once; the next record opens a new one
          while (self.segCount > 0 && self.segPending[self.segSlot(0)] === 0) self.dropOldest();
        }
      }
    }
    self.pump();
    return true;
  }

  /**
   * Writes a mark before data frame `seq` (made at `first_us`) may go to RAM: the oldest data frame
   * at risk (the oldest in the RAM ring not yet delivered, else `seq`) and `reserve` numbers from `seq` on.
   */
  private mark(seq: number, reserve: number, first_us: number): void {
    const self = this;
    const bytes = self.ringBytes;
    const v = self.scratchView;
    let lo = seq;
    let pos = self.normalise(self.ringTail);
    for (let n = self.ringRecords; n > 0; n--) {
      if (bytes[pos + KIND_OFFSET] === KIND_DATA && bytes[pos + STATE_OFFSET] !== STATE_DELIVERED) {
        lo = self.ringView.getUint32(pos + SEQ_OFFSET, true);
        first_us = self.ringView.getFloat64(pos + FIRST_OFFSET, true);
        break;
      }
      pos = self.ringAfter(pos);
    }
    self.markHi = (seq + reserve) >>> 0;
    self.marked = true;
    v.setUint32(0, self.boot, true);
    v.setUint32(4, lo, true);
    v.setUint32(8, self.markHi, true);
    v.setUint32(12, Math.floor(first_us / 1e6), true);
    if (self.markSlot === MARK_SLOTS) {
      self.write(MARK_FILE, self.scratch.subarray(0, 4 + MARK_ENTRY), 0, MARK_FILE_BYTES);
      self.markSlot = 0;
    } else {
      self.write(MARK_FILE, self.scratch.subarray(4, 4 + MARK_ENTRY), 4 + self.markSlot * MARK_ENTRY);
    }
    self.markSlot++;
  }

  /** Appends a record to the RAM ring; false when it does not fit now. */
  private ringAppend(meta: RecordMeta, payload: Uint8Array): boolean {
    const self = this;
    const need = recordBytes(payload.length);
    const size = self.ringBytes.length;
    let at = self.ringHead;
    let waste = 0;
    if (self.ringRecords === 0) {
      self.ringTail = self.ringNext = self.ringHead = at = 0;
      if (need > size) return false;
    } else if (self.ringHead > self.ringTail) {
      if (need > size - self.ringHead) {
        if (need > self.ringTail) return false;
        waste = size - self.ringHead;
        at = 0;
      }
    } else if (self.ringHead + need > self.ringTail) {
      return false;
    }
    if (waste > 0) self.ringBytes[self.ringHead + KIND_OFFSET] = KIND_WRAP;
    writeHeader(self.ringView, at, meta, payload.length);
    self.ringBytes.set(payload, at + RECORD_HEADER_BYTES);
    if (self.ringUnsent === 0) self.ringNext = at;
    self.ringHead = at + need;
    self.ringUsed_B += need + waste;
    self.ringRecords++;
    self.ringUnsent++;
    return true;
  }

  /** Where the RAM record at `pos` really starts: past a wrap marker or the end, at 0. */
  private normalise(pos: number): number {
    return pos === this.ringBytes.length || (pos !== this.ringHead && this.ringBytes[pos + KIND_OFFSET] === KIND_WRAP) ? 0 : pos;
  }

  private ringAfter(pos: number): number {
    return this.normalise(pos + recordBytes(this.ringView.getUint16(pos + LENGTH_OFFSET, true)));
  }

  /** Position of the oldest unsent RAM record, or -1. */
  private peekUnsent(): number {
    if (this.ringUnsent === 0) return -1;
    this.ringNext = this.normalise(this.ringNext);
    return this.ringNext;
  }

  /**
   * Moves every RAM record not yet delivered to flash, oldest first, and empties the ring: the link
   * is gone, so sent and unsent alike must go. With `unsentOnly` (RAM is full), records handed to
   * the link stay and only the unsent ones move.
   */
  private spill(unsentOnly: boolean): void {
    const self = this;
    const bytes = self.ringBytes;
    const meta = self.recMeta;
    let pos = unsentOnly ? self.peekUnsent() : self.normalise(self.ringTail);
    let left = unsentOnly ? self.ringUnsent : self.ringRecords;
    while (left-- > 0) {
      if (bytes[pos + STATE_OFFSET] !== STATE_DELIVERED) {
        readHeader(self.ringView, pos, meta);
        const from = pos + RECORD_HEADER_BYTES;
        if (!self.flashAppend(meta, bytes.subarray(from, from + self.ringView.getUint16(pos + LENGTH_OFFSET, true)))) self.lost(meta);
      }
      pos = self.ringAfter(pos);
    }
    if (unsentOnly && self.ringRecords > self.ringUnsent) {
      self.ringRecords -= self.ringUnsent;
      self.ringUnsent = 0;
      self.ringHead = self.ringNext;
      self.ringUsed_B = self.ringHead > self.ringTail ? self.ringHead - self.ringTail : bytes.length - self.ringTail + self.ringHead;
      return;
    }
    self.ringRecords = self.ringUnsent = self.ringUsed_B = 0;
    self.ringTail = self.ringNext = self.ringHead = 0;
  }

  private pump(): void {
    const self = this;
    while (self.linkUp) {
      if (self.gaps.length > 0 && self.gapId < 0) {
        self.gapWriter.reset();
        const g = self.gaps[0];
        // docs/PROTOCOL.md "gap": seq only when whole frames were lost
        writeValue(self.gapWriter, { b: g.boot, v: PROTOCOL_VERSION, seq: g.frames > 0 ? g.seq : undefined, from: g.from_us, until: g.until_us, frames: g.frames, reason: g.reason, samples: g.samples });
        const id = self.linkOut.publish(KIND_GAP, self.gapWriter.bytes());
        if (id < 0) return;
        self.gapId = id;
        continue;
      }
      const slot = self.ids.indexOf(0);
      if (slot < 0) return;
      const fromFlash = self.flashNext(slot);
      if (fromFlash !== undefined) {
        const id = self.linkOut.publish(self.recMeta.kind, fromFlash);
        if (id < 0) {
          self.readIndex = 0;
          self.readOff = FIRST_RECORD;
          return;
        }
        self.ids[slot] = id;
        self.ramPos[slot] = -1;
        continue;
      }
      const pos = self.peekUnsent();
      if (pos < 0) return;
      const from = pos + RECORD_HEADER_BYTES;
      const id = self.linkOut.publish(self.ringBytes[pos + KIND_OFFSET], self.ringBytes.subarray(from, from + self.ringView.getUint16(pos + LENGTH_OFFSET, true)));
      if (id < 0) return;
      self.ringNext = self.ringAfter(pos);
      self.ringUnsent--;
      self.ids[slot] = id;
      self.ramPos[slot] = pos;
    }
  }

  /** A record that could not be kept: data frames go into the gap message, by boot and run of seq. */
  private lost(meta: RecordMeta): void {
    if (meta.kind !== KIND_DATA) return;
    const gaps = this.gaps;
    const last = gaps[gaps.length - 1];
    // the gap in flight is frozen: what it says has been sent
    if (last !== undefined && !(this.gapId >= 0 && gaps.length === 1) && last.reason === "storage" && last.boot === meta.boot && ((last.seq + last.frames) >>> 0) === meta.seq) {
      last.frames++;
      last.samples += meta.samples;
      last.until_us = meta.last_us;
    } else {
      gaps.push({ boot: meta.boot, reason: "storage", samples: meta.samples, frames: 1, seq: meta.seq, from_us: meta.first_us, until_us: meta.last_us });
    }
    this.saveGaps();
  }

  /**
   * Writes the pending gaps to GAP_FILE, GAP_ROWS at most. Beyond that, the oldest gap that has a
   * later one of the same boot (the gap in flight left alone) takes it in: its seq and frames
   * widen to span both runs, so every lost frame stays inside a reported gap (frames between the
   * runs that were delivered are reported too: the host has them, and a gap over them costs
   * nothing), samples add up and from/until widen. Rows of GAP_ROWS different boots cannot merge;
   * push() keeps records out of RAM while the gaps are at the cap, so no reset adds another.
   */
  private saveGaps(): void {
    const self = this;
    const gaps = self.gaps;
    for (let i = self.gapId >= 0 ? 1 : 0; gaps.length > GAP_ROWS && i < gaps.length; i++) {
      const a = gaps[i];
      for (let j = i + 1; j < gaps.length; j++) {
        const b = gaps[j];
        if (b.boot !== a.boot) continue;
        const endA = a.seq + a.frames;
        const endB = b.seq + b.frames;
        if (((b.seq - a.seq) | 0) < 0) a.seq = b.seq;
        a.frames = ((((endB - endA) | 0) > 0 ? endB : endA) - a.seq) >>> 0;
        a.samples += b.samples;
        a.from_us = Math.min(a.from_us, b.from_us);
        a.until_us = Math.max(a.until_us, b.until_us);
        gaps.splice(j, 1);
        i--;
        break;
      }
    }
    try {
      if (gaps.length === 0) {
        self.storageModule.erase(GAP_FILE);
        return;
      }
      const rows: number[][] = [];
      for (let i = 0; i < gaps.length && i < GAP_ROWS; i++) {
        const g = gaps[i];
        rows.push([g.boot, g.seq, g.frames, g.samples, Math.floor(g.from_us / 1e6), g.from_us % 1e6, Math.floor(g.until_us / 1e6), g.until_us % 1e6, g.reason === "power" ? 1 : 0]);
      }
      if (!self.storageModule.writeJSON(GAP_FILE, rows)) self.failed = true;
    } catch (e) {
      self.failed = true;
    }
  }

  /** A Storage write that may fail (Storage full): the failure is flagged for health, and the data stays in RAM. */
  private write(name: string, data: Uint8Array, off: number, size?: number): void {
    try {
      if (!this.storageModule.write(name, data, off, size)) this.failed = true;
    } catch (e) {
      this.failed = true;
    }
  }

  private segSlot(index: number): number {
    return (this.segFirst + index) % this.segMax;
  }

  private segName(index: number): string {
    return SEGMENT_PREFIX + this.segNumbers[this.segSlot(index)];
  }

  /** Reads the header of the flash record at `off` in segment `index` into scratch; false when there is none. */
  private flashHeader(index: number, off: number): boolean {
    if (off + RECORD_HEADER_BYTES > SEGMENT_BYTES) return false;
    const text = this.storageModule.read(this.segName(index), off, RECORD_HEADER_BYTES);
    if (text === undefined || text.length < RECORD_HEADER_BYTES) return false;
    for (let i = 0; i < RECORD_HEADER_BYTES; i++) this.scratch[i] = text.charCodeAt(i);
    return this.scratch[KIND_OFFSET] !== KIND_ERASED;
  }

  private crcOf(index: number, off: number, payload_B: number): number {
    return E.CRC32(this.storageModule.read(this.segName(index), off + CRC_FROM, RECORD_HEADER_BYTES - CRC_FROM + payload_B) as string) >>> 0;
  }

  /**
   * Appends a record to flash, a data frame with its backfill flag set on the way. Drops the oldest
   * segment when the budget or the flash is full. False when even an empty log cannot take it.
   */
  private flashAppend(meta: RecordMeta, payload: Uint8Array): boolean {
    const self = this;
    const patchAt = meta.kind === KIND_DATA ? backfillOffset(payload) : -1;
    const length = payload.length + (patchAt >= 0 ? BACKFILL_ENTRY.length : 0);
    const need = recordBytes(length);
    if (FIRST_RECORD + need > SEGMENT_BYTES) return false;
    const st = self.storageModule;
    for (let attempt = 0; attempt <= self.segMax; attempt++) {
      try {
        if (!self.segWritable || self.segEnds[self.segSlot(self.segCount - 1)] + need > SEGMENT_BYTES) {
          if (self.segCount === self.segMax) self.dropOldest();
          const s = self.segSlot(self.segCount);
          self.segNumbers[s] = self.segNextNumber;
          self.segPending[s] = 0;
          self.segEnds[s] = FIRST_RECORD;
          st.write(SEGMENT_PREFIX + self.segNextNumber, SEGMENT_MAGIC, 0, SEGMENT_BYTES);
          self.segNextNumber++;
          self.segCount++;
          self.segWritable = true;
        }
        const index = self.segCount - 1;
        const s = self.segSlot(index);
        const name = self.segName(index);
        const off = self.segEnds[s];
        writeHeader(self.scratchView, 0, meta, length);
        st.write(name, self.scratch, off);
        const at = off + RECORD_HEADER_BYTES;
        if (patchAt < 0) {
          st.write(name, payload, at);
        } else {
          self.single[0] = payload[0] + 1;
          st.write(name, self.single, at);
          if (patchAt > 1) st.write(name, payload.subarray(1, patchAt), at + 1);
          st.write(name, self.entryBytes, at + patchAt);
          if (patchAt < payload.length) st.write(name, payload.subarray(patchAt), at + patchAt + BACKFILL_ENTRY.length);
        }
        self.scratchView.setUint32(0, self.crcOf(index, off, length), true);
        st.write(name, self.scratch.subarray(0, 4), off + CRC_OFFSET);
        self.segEnds[s] = off + recordBytes(length);
        self.segPending[s]++;
        self.flashRecords++;
        return true;
      } catch (err) {
        // the flash itself is full (files other than ours took the room): make room and try again
        self.failed = true;
        self.segWritable = false;
        if (self.segCount === 0) return false;
        self.dropOldest();
      }
    }
    return false;
  }

  /** Erases the oldest segment, reporting each record it still held. */
  private dropOldest(): void {
    const self = this;
    const s = self.segSlot(0);
    let off = FIRST_RECORD;
    while (self.segPending[s] > 0 && off < self.segEnds[s] && self.flashHeader(0, off)) {
      if (self.scratch[STATE_OFFSET] === STATE_PENDING) {
        readHeader(self.scratchView, 0, self.dropMeta);
        self.lost(self.dropMeta);
      }
      off += recordBytes(self.scratchView.getUint16(LENGTH_OFFSET, true));
    }
    self.flashRecords -= self.segPending[s];
    self.storageModule.erase(self.segName(0));
    if (self.segCount === 1) self.segWritable = false;
    self.segFirst = self.segSlot(1);
    self.segCount--;
    if (self.readIndex > 0) self.readIndex--;
    else self.readOff = FIRST_RECORD;
  }

  /**
   * The oldest flash record not yet handed out: its payload (a copy, which the link keeps until the
   * acknowledgement), its header in `meta` and where it is in in-flight `slot`; undefined when none.
   */
  private flashNext(slot: number): Uint8Array | undefined {
    const self = this;
    while (self.readIndex < self.segCount) {
      const s = self.segSlot(self.readIndex);
      if (self.readOff < self.segEnds[s] && self.flashHeader(self.readIndex, self.readOff)) {
        const off = self.readOff;
        const len = self.scratchView.getUint16(LENGTH_OFFSET, true);
        self.readOff += recordBytes(len);
        if (self.scratch[STATE_OFFSET] !== STATE_PENDING) continue;
        readHeader(self.scratchView, 0, self.recMeta);
        self.segs[slot] = self.segNumbers[s];
        self.offs[slot] = off;
        return E.toUint8Array(self.storageModule.read(self.segName(self.readIndex), off + RECORD_HEADER_BYTES, len) as string);
      }
      if (self.readIndex === self.segCount - 1) return undefined;
      self.readIndex++;
      self.readOff = FIRST_RECORD;
    }
    return undefined;
  }
}
