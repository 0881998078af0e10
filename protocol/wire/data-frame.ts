// Encoder of the `data` message (docs/PROTOCOL.md "data"). Runs in the board's sampling path:
// writes into the caller's preallocated writer and allocates nothing.
import type { CborWriter } from "./cbor-writer.ts";
import { writeDeltaBlock } from "./zigzag-delta.ts";

export const PROTOCOL_VERSION = 1;

/** Frame flag bits (key `f`). */
export const FRAME_BACKFILL = 1;
/** Every frame flag v1 defines; other bits are refused by decoders. */
export const FRAME_FLAGS_V1 = FRAME_BACKFILL;

/** Quality flag bits per block (key `q`). */
export const QUALITY_SATURATED = 1;
export const QUALITY_OPEN_CIRCUIT = 2;
export const QUALITY_LOW_OPTICAL_SUM = 4;
export const QUALITY_LATE = 8;
export const QUALITY_GAP = 16;
/** Every quality flag v1 defines; other bits are refused by decoders. */
export const QUALITY_FLAGS_V1 = 31;

export interface DataFrameHeader {
  boot: number;
  seq: number;
  /** Time of the frame's first tick, µs since the Unix epoch. */
  t0_us: number;
  tick_us: number;
  flags: number;
  /** Largest lateness of any sample in the frame, µs. */
  lateness_us: number;
}

/** Per channel: its samples, how many, ticks from t0 to its first sample, and its quality flags. */
export interface DataFrameBlocks {
  samples: Int32Array[];
  counts: number[];
  offsets: number[];
  quality: number[];
}

function anyNonZero(values: number[]): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return true;
  return false;
}

function writeUintArray(w: CborWriter, values: number[]): void {
  w.arrayHead(values.length);
  for (let i = 0; i < values.length; i++) w.uint(values[i]);
}

/** Writes one data message. Keys are emitted in core deterministic order (RFC 8949 §4.2.1). */
export function writeDataFrame(w: CborWriter, h: DataFrameHeader, blocks: DataFrameBlocks): void {
  const withFlags = h.flags !== 0;
  const withLateness = h.lateness_us > 0;
  const withOffsets = anyNonZero(blocks.offsets);
  const withQuality = anyNonZero(blocks.quality);
  let keys = 6;
  if (withFlags) keys++;
  if (withLateness) keys++;
  if (withOffsets) keys++;
  if (withQuality) keys++;
  w.mapHead(keys);
  w.text("b");
  w.uint(h.boot);
  w.text("c");
  const n = blocks.samples.length;
  w.arrayHead(n);
  for (let i = 0; i < n; i++) writeDeltaBlock(w, blocks.samples[i], 0, blocks.counts[i]);
  if (withFlags) {
    w.text("f");
    w.uint(h.flags);
  }
  if (withLateness) {
    w.text("j");
    w.uint(Math.round(h.lateness_us));
  }
  if (withOffsets) {
    w.text("o");
    writeUintArray(w, blocks.offsets);
  }
  w.text("p");
  w.uint(h.tick_us);
  if (withQuality) {
    w.text("q");
    writeUintArray(w, blocks.quality);
  }
  w.text("s");
  w.uint(h.seq);
  w.text("t");
  w.uint(h.t0_us);
  w.text("v");
  w.uint(PROTOCOL_VERSION);
}
