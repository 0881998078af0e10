import build from "cellrig:build";
import type { RigConfig } from "../boards/rig-schema.ts";
import { SEGMENT_FOOTPRINT_BYTES } from "./store/store.ts";

// Buffer sizes from the board profile and the rig, by the same rules as boards/limits.ts (which the
// build checks the rig against; that module is host code, so the few formulas are repeated here).

/** A zigzag varint of a 32-bit code difference is at most 5 bytes. */
const MAX_BYTES_PER_SAMPLE = 5;
const FRAME_OVERHEAD_BYTES = 64;
const BLOCK_OVERHEAD_BYTES = 8;
/** Storage left free for cellrig.json, the gap, key and mark files and their headers (boards/limits.ts says how). */
const STORAGE_RESERVE_BYTES = 4364;

export function frameCapacity_B(capacity: number[]): number {
  let bytes = FRAME_OVERHEAD_BYTES;
  for (let i = 0; i < capacity.length; i++) bytes += BLOCK_OVERHEAD_BYTES + capacity[i] * MAX_BYTES_PER_SAMPLE;
  return bytes;
}

/** The RAM ring: as configured, else a sixteenth of the board's JsVar memory within [1 KiB, 8 KiB]. */
export function ramRing_B(config: RigConfig): number {
  if (config.store && config.store.ram_bytes) return config.store.ram_bytes;
  const share = Math.floor(((build.board.jsvars as number) * 12) / 16 / 4) * 4;
  return Math.max(1024, Math.min(8192, share));
}

/** Flash segments for the store: as configured, else what Storage has free (with our own segments) less the reserve. */
export function flashSegments(config: RigConfig, storage: StorageModule): number {
  if (config.store && config.store.flash_bytes) return Math.floor(config.store.flash_bytes / SEGMENT_FOOTPRINT_BYTES);
  const ours = storage.list(/^cellrig\.q\d+$/).length * SEGMENT_FOOTPRINT_BYTES;
  return Math.max(2, Math.floor((storage.getFree() + ours - STORAGE_RESERVE_BYTES) / SEGMENT_FOOTPRINT_BYTES));
}

