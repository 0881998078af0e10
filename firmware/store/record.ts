// One queued message, as the store keeps it in RAM and in flash: a fixed header, then the CBOR
// payload exactly as it will be published. The same layout in both places, so spilling RAM to
// flash is a copy. Little-endian, records padded to 4 bytes (the flash write alignment).
//
//   0  state    0xFF pending, 0x00 delivered (flash can clear bits in place, so no rewrite)
//   1  kind     KIND_*; 0xFF is erased flash (no record here), KIND_WRAP ends the RAM ring early
//   2  length   payload bytes, uint16
//   4  crc      E.CRC32 of bytes 8 … end of payload; written last in flash, so it commits the record
//   8  boot     boot id of the boot that made the message
//  12  seq      data frames: sequence number
//  16  samples  data frames: samples in the frame, all channels
//  18  first    data frames: nominal time of the first sample, µs (float64, exact for µs)
//  26  last     data frames: nominal time of the last sample, µs

export const RECORD_HEADER_BYTES = 34;
export const STATE_OFFSET = 0;
export const KIND_OFFSET = 1;
export const LENGTH_OFFSET = 2;
export const CRC_OFFSET = 4;
/** The CRC covers the record from here to the end of its payload. */
export const CRC_FROM = 8;
export const BOOT_OFFSET = 8;
export const SEQ_OFFSET = 12;
export const SAMPLES_OFFSET = 16;
export const FIRST_OFFSET = 18;
export const LAST_OFFSET = 26;

export const STATE_PENDING = 0xff;
export const STATE_DELIVERED = 0;

export const KIND_WRAP = 0;
export const KIND_DATA = 1;
export const KIND_ALARM = 2;
export const KIND_ACK = 3;
export const KIND_ERASED = 0xff;

/** Largest payload a record holds (uint16 length). */
export const MAX_PAYLOAD_BYTES = 65535;

/** Bytes a record with `payload_B` bytes of payload takes, padding included. */
export function recordBytes(payload_B: number): number {
  return (RECORD_HEADER_BYTES + payload_B + 3) & ~3;
}

/** What the store knows of a message besides its bytes; the gap message is built from these. */
export interface RecordMeta {
  kind: number;
  boot: number;
  seq: number;
  samples: number;
  first_us: number;
  last_us: number;
}

/** Writes a header at `at` in `view` (state pending, CRC erased). */
export function writeHeader(view: DataView, at: number, meta: RecordMeta, payload_B: number): void {
  view.setUint8(at + STATE_OFFSET, STATE_PENDING);
  view.setUint8(at + KIND_OFFSET, meta.kind);
  view.setUint16(at + LENGTH_OFFSET, payload_B, true);
  view.setUint32(at + CRC_OFFSET, 0xffffffff, true);
  view.setUint32(at + BOOT_OFFSET, meta.boot >>> 0, true);
  view.setUint32(at + SEQ_OFFSET, meta.seq >>> 0, true);
  view.setUint16(at + SAMPLES_OFFSET, meta.samples, true);
  view.setFloat64(at + FIRST_OFFSET, meta.first_us, true);
  view.setFloat64(at + LAST_OFFSET, meta.last_us, true);
}

/** Reads a header at `at` in `view` into `meta`. */
export function readHeader(view: DataView, at: number, meta: RecordMeta): void {
  meta.kind = view.getUint8(at + KIND_OFFSET);
  meta.boot = view.getUint32(at + BOOT_OFFSET, true);
  meta.seq = view.getUint32(at + SEQ_OFFSET, true);
  meta.samples = view.getUint16(at + SAMPLES_OFFSET, true);
  meta.first_us = view.getFloat64(at + FIRST_OFFSET, true);
  meta.last_us = view.getFloat64(at + LAST_OFFSET, true);
}

export function emptyMeta(): RecordMeta {
  return { kind: KIND_DATA, boot: 0, seq: 0, samples: 0, first_us: 0, last_us: 0 };
}
