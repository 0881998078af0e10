import { CborWriter } from "../../protocol/wire/cbor-writer.ts";
import type { GapMessage } from "../../protocol/wire/gap.ts";
import { writeValue } from "../../protocol/wire/cbor-value.ts";
import { PROTOCOL_VERSION } from "../../protocol/wire/data-frame.ts";
import { FlashLog } from "./flash-log.ts";
import { RamRing } from "./ram-ring.ts";
import { KIND_DATA, KIND_OFFSET, RECORD_HEADER_BYTES, emptyMeta, readHeader, type RecordMeta } from "./record.ts";

/** Record kind of a gap message: gaps are kept apart from the records (see Store). */
export const KIND_GAP = 4;
/** Where the pending gap messages survive a reboot. */
export const GAP_FILE = "cellrig.gap";

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
 */
export class Store {
  private readonly ram: RamRing;
  private readonly flash: FlashLog;
  private readonly link: StoreLink;
  private readonly storage: StorageModule;
  /** In-flight records: packet id (0 = free slot), RAM position or -1, flash segment and offset. */
  private readonly ids: Int32Array;
  private readonly ramPos: Int32Array;
  private readonly segs: Int32Array;
  private readonly offs: Int32Array;
  private readonly where = new Int32Array(2);
  private readonly meta: RecordMeta = emptyMeta();
  private readonly gaps: GapMessage[];
  private readonly gapWriter = new CborWriter(96);
  private gapId = -1;
  private connected = false;
  /** Data frames dropped and written to a gap message since boot. */
  droppedFrames = 0;

  constructor(o: StoreOptions) {
    this.link = o.link;
    this.storage = o.storage;
    this.ram = new RamRing(o.ram_B);
    this.ids = new Int32Array(o.window);
    this.ramPos = new Int32Array(o.window);
    this.segs = new Int32Array(o.window);
    this.offs = new Int32Array(o.window);
    this.gaps = loadGaps(o.storage);
    const self = this;
    this.flash = new FlashLog(o.storage, o.flashSegments, function (meta) {
      self.lost(meta);
    });
  }

  /** Records waiting for delivery, RAM and flash. */
  waiting(): number {
    return this.ram.records + this.flash.records;
  }

  /** Bytes taken and bytes available, RAM and flash together, for health. */
  used_B(): number {
    return this.ram.used_B + this.flash.segments * 4096;
  }

  total_B(): number {
    return this.ram.bytes.length + this.flash.maxSegments * 4096;
  }

  /** Queues a message; the payload is copied, so the caller may reuse its buffer at once. */
  push(meta: RecordMeta, payload: Uint8Array): void {
    if (this.connected) {
      if (!this.ram.append(meta, payload)) {
        this.spill(true);
        if (!this.ram.append(meta, payload) && !this.flash.append(meta, payload, true)) this.lost(meta);
      }
      this.pump();
      return;
    }
    if (!this.flash.append(meta, payload, true)) this.lost(meta);
  }

  /** The link is up: publish gaps, then flash, then RAM, oldest first. */
  up(): void {
    this.connected = true;
    this.pump();
  }

  /** The link is down and forgot what was in flight: everything undelivered goes to flash. */
  down(): void {
    this.connected = false;
    this.ids.fill(0);
    this.gapId = -1;
    this.spill(false);
    this.flash.rewind();
  }

  /** Re-sends from flash what is still there, from the oldest record on. */
  resend(): void {
    if (!this.connected) return;
    this.flash.rewind();
    this.pump();
  }

  /** The broker acknowledged `packetId`; false if it was not one of the store's. */
  acked(packetId: number): boolean {
    if (packetId === this.gapId) {
      this.gapId = -1;
      this.gaps.shift();
      this.saveGaps();
      this.pump();
      return true;
    }
    const i = this.ids.indexOf(packetId);
    if (i < 0) return false;
    this.ids[i] = 0;
    if (this.ramPos[i] >= 0) this.ram.delivered(this.ramPos[i]);
    else this.flash.delivered(this.segs[i], this.offs[i]);
    this.pump();
    return true;
  }

  private spill(unsentOnly: boolean): void {
    const ram = this.ram;
    const flash = this.flash;
    const meta = this.meta;
    const self = this;
    ram.drain(function (pos) {
      readHeader(ram.view, pos, meta);
      const from = pos + RECORD_HEADER_BYTES;
      if (!flash.append(meta, ram.bytes.subarray(from, from + ram.payloadLength(pos)), true)) self.lost(meta);
    }, unsentOnly);
  }

  private pump(): void {
    while (this.connected) {
      if (this.gaps.length > 0 && this.gapId < 0) {
        this.gapWriter.reset();
        const g = this.gaps[0];
        // docs/PROTOCOL.md "gap": seq only when whole frames were lost
        writeValue(this.gapWriter, { b: g.boot, v: PROTOCOL_VERSION, seq: g.frames > 0 ? g.seq : undefined, from: g.from_us, until: g.until_us, frames: g.frames, reason: g.reason, samples: g.samples });
        const id = this.link.publish(KIND_GAP, this.gapWriter.bytes());
        if (id < 0) return;
        this.gapId = id;
        continue;
      }
      const slot = this.ids.indexOf(0);
      if (slot < 0) return;
      const fromFlash = this.flash.next(this.where, this.meta);
      if (fromFlash !== undefined) {
        const id = this.link.publish(this.meta.kind, fromFlash);
        if (id < 0) {
          this.flash.rewind();
          return;
        }
        this.ids[slot] = id;
        this.ramPos[slot] = -1;
        this.segs[slot] = this.where[0];
        this.offs[slot] = this.where[1];
        continue;
      }
      const pos = this.ram.peekUnsent();
      if (pos < 0) return;
      const from = pos + RECORD_HEADER_BYTES;
      const id = this.link.publish(this.ram.bytes[pos + KIND_OFFSET], this.ram.bytes.subarray(from, from + this.ram.payloadLength(pos)));
      if (id < 0) return;
      this.ram.markSent();
      this.ids[slot] = id;
      this.ramPos[slot] = pos;
    }
  }

  /** A record that could not be kept: data frames go into the gap message, by boot and run of seq. */
  private lost(meta: RecordMeta): void {
    if (meta.kind !== KIND_DATA) return;
    this.droppedFrames++;
    const last = this.gaps.length > 0 ? this.gaps[this.gaps.length - 1] : undefined;
    // the gap in flight is frozen: what it says has been sent
    if (last !== undefined && !(this.gapId >= 0 && this.gaps.length === 1) && last.boot === meta.boot && ((last.seq + last.frames) >>> 0) === meta.seq) {
      last.frames++;
      last.samples += meta.samples;
      last.until_us = meta.last_us;
    } else {
      this.gaps.push({ boot: meta.boot, reason: "storage", samples: meta.samples, frames: 1, seq: meta.seq, from_us: meta.first_us, until_us: meta.last_us });
    }
    this.saveGaps();
  }

  private saveGaps(): void {
    if (this.gaps.length === 0) {
      this.storage.erase(GAP_FILE);
      return;
    }
    const rows: number[][] = [];
    for (let i = 0; i < this.gaps.length; i++) {
      const g = this.gaps[i];
      rows.push([g.boot, g.seq, g.frames, g.samples, Math.floor(g.from_us / 1e6), g.from_us % 1e6, Math.floor(g.until_us / 1e6), g.until_us % 1e6]);
    }
    this.storage.writeJSON(GAP_FILE, rows);
  }
}

/**
 * Gaps a previous boot had not delivered. Times are kept as whole seconds and microseconds: the
 * interpreter prints numbers to about 11 digits, too few for µs since the epoch.
 */
function loadGaps(storage: StorageModule): GapMessage[] {
  const rows = storage.readJSON(GAP_FILE, true);
  const gaps: GapMessage[] = [];
  if (!Array.isArray(rows)) return gaps;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number[];
    gaps.push({ boot: r[0], reason: "storage", seq: r[1], frames: r[2], samples: r[3], from_us: r[4] * 1e6 + r[5], until_us: r[6] * 1e6 + r[7] });
  }
  return gaps;
}
