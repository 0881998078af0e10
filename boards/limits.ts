import type { BoardProfile } from "./profile.ts";
import type { RigConfig } from "./rig-schema.ts";
import { makeSchedule } from "../protocol/wire/schedule.ts";

// What a rig may ask of a board, from the board profile: the firmware sizes its buffers with the
// same functions (firmware/sizing.ts mirrors frameCapacity_B), so a rig the build accepts is one the
// board can run.

/** A zigzag varint of a 32-bit code difference takes at most 5 bytes. */
export const MAX_BYTES_PER_SAMPLE = 5;
/** Frame keys and heads besides the blocks, bytes; each block adds its head and a `q`/`o` entry. */
export const FRAME_OVERHEAD_BYTES = 64;
export const BLOCK_OVERHEAD_BYTES = 8;
/** Bytes per JsVar on the smallest boards (Espruino's 12-byte variables). */
export const BYTES_PER_JSVAR = 12;
/** Share of the board's JsVars the application's data may take: the rest is the interpreter's, the network's and headroom. */
export const DATA_SHARE = 0.5;
/** JsVars of the firmware's fixed state besides buffers (MQTT client, store, health), and per channel. */
export const FIXED_JSVARS = 450;
export const JSVARS_PER_CHANNEL = 40;
/** Storage's file header (JsfFileHeader in the interpreter's jsflash.h: size and flags, then a 28-byte name). */
export const STORAGE_FILE_HEADER_BYTES = 32;
/**
 * Largest cellrig.json the board keeps: the rig as JSON (the largest preset, graphite-nmc-gas, is
 * 2 127 bytes) with the broker and Wi-Fi credentials `cellrig flash` adds. The build refuses a rig
 * whose JSON leaves less than CREDENTIALS_BYTES of it.
 */
export const CONFIG_FILE_MAX_BYTES = 3072;
export const CREDENTIALS_BYTES = 256;
/**
 * cellrig.gap: one JSON row per pending gap, at most 85 bytes
 * (`[4294967295,4294967295,4294967295,999999999999,1799999999,999999,1799999999,999999,1]`), for
 * the 8 rows the store keeps at most (firmware/store/store.ts GAP_ROWS merges beyond that).
 */
const GAP_FILE_MAX_BYTES = 8 * 86 + 2;
/** The key that authenticates commands (64 bytes) and the store's sequence marks (firmware/store/marks.ts, 124 bytes). */
const KEY_FILE_BYTES = 64;
const MARK_FILE_BYTES = 124;
/**
 * Storage kept free for the files besides the bundle and the store: each file's header (the bundle's,
 * .bootcde, too) and its data rounded up to the 4-byte write alignment. The library moves a file under 512 bytes to the next page
 * rather than let it straddle one, wasting less than the file's own size, so the two small files
 * count twice. Pages need not be whole per file, and compaction (which reclaims the old copy of a
 * rewritten file) works through RAM, so nothing rounds up to a 4096-byte page: 4 364 bytes where
 * a round 8 KiB was kept before.
 */
export const STORAGE_RESERVE_BYTES =
  3 * STORAGE_FILE_HEADER_BYTES + align4(CONFIG_FILE_MAX_BYTES) + align4(GAP_FILE_MAX_BYTES) + 2 * (2 * STORAGE_FILE_HEADER_BYTES + align4(KEY_FILE_BYTES) + align4(MARK_FILE_BYTES));

function align4(bytes: number): number {
  return Math.ceil(bytes / 4) * 4;
}
/** One store segment in flash, file header included (firmware/store/store.ts). */
export const SEGMENT_FOOTPRINT_BYTES = 4096;
export const SEGMENT_BYTES = 4064;
/** Record header of the store (firmware/store/record.ts) plus the backfill flag and padding. */
const RECORD_OVERHEAD_BYTES = 34 + 3 + 3;

/** Largest encoded data frame of a rig, bytes. */
export function frameCapacity_B(capacity: number[]): number {
  let bytes = FRAME_OVERHEAD_BYTES;
  for (let i = 0; i < capacity.length; i++) bytes += BLOCK_OVERHEAD_BYTES + capacity[i] * MAX_BYTES_PER_SAMPLE;
  return bytes;
}

/** The RAM ring the board gets unless the rig says otherwise: a sixteenth of its JsVar memory, within [1 KiB, 8 KiB]. */
export function defaultRam_B(board: BoardProfile): number {
  const share = Math.floor((board.jsvars * BYTES_PER_JSVAR) / 16 / 4) * 4;
  return Math.max(1024, Math.min(8192, share));
}

export interface RigFootprint {
  frame_B: number;
  ram_B: number;
  /** Flash the store may take at most; the firmware uses what is free up to this. */
  flash_B: number;
  /** Estimated JsVars of the firmware's data (buffers, state), code not included. */
  jsvars: number;
  /** The most the data may take on this board. */
  jsvarBudget: number;
}

export function rigFootprint(config: RigConfig, board: BoardProfile): RigFootprint {
  const schedule = makeSchedule(config.channels, config.frame_s);
  const frame_B = frameCapacity_B(schedule.capacity);
  const ram_B = config.store?.ram_bytes ?? defaultRam_B(board);
  const flash_B = config.store?.flash_bytes ?? board.storage_bytes - STORAGE_RESERVE_BYTES;
  let samples_B = 0;
  for (const c of schedule.capacity) samples_B += 4 * c;
  const jsvars = FIXED_JSVARS + JSVARS_PER_CHANNEL * config.channels.length + Math.ceil((samples_B + frame_B + ram_B) / BYTES_PER_JSVAR);
  return { frame_B, ram_B, flash_B, jsvars, jsvarBudget: Math.floor(board.jsvars * DATA_SHARE) };
}

/** Flash the store takes at the least: as configured, else two segments (firmware/sizing.ts never takes fewer). */
export function storeFlashShare_B(config: { store?: { flash_bytes?: number } }): number {
  return config.store?.flash_bytes ?? 2 * SEGMENT_FOOTPRINT_BYTES;
}

/**
 * Why a bundle of this size cannot be saved on the board with room for the store and the configuration,
 * or undefined when it fits: the bundle (.bootcde), the store's flash share and the reserve share Storage.
 */
export function bundleFlashProblem(bundle_B: number, config: { store?: { flash_bytes?: number } }, board: BoardProfile): string | undefined {
  const store_B = storeFlashShare_B(config);
  const needed_B = bundle_B + store_B + STORAGE_RESERVE_BYTES;
  if (needed_B <= board.storage_bytes) return undefined;
  const room_B = board.storage_bytes - store_B - STORAGE_RESERVE_BYTES;
  return (
    `the bundle is ${bundle_B} bytes but ${board.id} has room for ${Math.max(0, room_B)}: its ${board.storage_bytes} bytes of Storage also hold ` +
    `the store's ${store_B} bytes (${config.store?.flash_bytes === undefined ? "two segments, the least it runs with" : "store.flash_bytes"}) and ${STORAGE_RESERVE_BYTES} kept for configuration ` +
    `(use fewer sensor kinds${config.store?.flash_bytes === undefined ? "" : ", a smaller store.flash_bytes"} or a board with more Storage)`
  );
}

/** Why the rig does not fit the board's memory and flash, one line each; empty when it fits. */
export function limitProblems(config: RigConfig, board: BoardProfile): string[] {
  let f: RigFootprint;
  try {
    f = rigFootprint(config, board);
  } catch {
    return []; // the schedule itself is refused elsewhere with its own message
  }
  const problems: string[] = [];
  const record_B = f.frame_B + RECORD_OVERHEAD_BYTES;
  if (record_B > SEGMENT_BYTES - 4) {
    problems.push(`/frame_s: a frame of this rig may take ${f.frame_B} bytes, more than a ${SEGMENT_BYTES}-byte store segment holds (shorten frame_s or lower rates)`);
  }
  if (f.ram_B < 2 * record_B) {
    problems.push(`/store/ram_bytes: ${f.ram_B} bytes hold fewer than two frames of up to ${f.frame_B} bytes (raise store.ram_bytes or shorten frame_s)`);
  }
  if (f.flash_B > board.storage_bytes - STORAGE_RESERVE_BYTES) {
    problems.push(`/store/flash_bytes: ${f.flash_B} bytes is more than ${board.id}'s ${board.storage_bytes} bytes of Storage less ${STORAGE_RESERVE_BYTES} kept for configuration`);
  }
  if (f.flash_B < 2 * SEGMENT_FOOTPRINT_BYTES) {
    problems.push(`/store: ${board.id} leaves ${f.flash_B} bytes of flash for the store, fewer than two ${SEGMENT_FOOTPRINT_BYTES}-byte segments`);
  }
  if (f.jsvars > f.jsvarBudget) {
    problems.push(
      `/channels: buffers and state need about ${f.jsvars} JsVars, more than half of ${board.id}'s ${board.jsvars} ` +
        `(${f.jsvarBudget}); use fewer channels, lower rates, a shorter frame_s or a smaller store.ram_bytes`,
    );
  }
  const config_B = JSON.stringify(config).length;
  if (config_B > CONFIG_FILE_MAX_BYTES - CREDENTIALS_BYTES) {
    problems.push(
      `/: the rig configuration takes ${config_B} bytes as JSON, more than the ${CONFIG_FILE_MAX_BYTES - CREDENTIALS_BYTES} the board keeps for it ` +
        `(${CONFIG_FILE_MAX_BYTES} less ${CREDENTIALS_BYTES} for credentials); shorten ids and names or drop unused members`,
    );
  }
  const ids = config.channels.map((c) => c.id);
  (config.alarms ?? []).forEach((a, i) => {
    const ch = config.channels.find((c) => c.id === a.channel);
    if (a.kind === "lost_sum" && ch !== undefined && ch.sensor !== "psd" && ch.sensor !== "quadrant") {
      problems.push(`/alarms/${i} ("${a.name}"): lost_sum watches a photodiode detector's optical sum; channel "${a.channel}" is a ${ch.sensor} channel`);
    }
    if (a.kind !== "lost_sum" && ch !== undefined && ch.calibration.kind !== "linear") problems.push(`/alarms/${i} ("${a.name}"): channel "${a.channel}" has a ${ch.calibration.kind} calibration; alarms are evaluated on linear channels only`);
    if (!ids.includes(a.channel)) problems.push(`/alarms/${i} ("${a.name}"): channel "${a.channel}" is not one of this rig's channels (${ids.join(", ")})`);
    if (a.kind === "stale" && !(a.threshold > 0)) problems.push(`/alarms/${i} ("${a.name}"): a stale alarm's threshold is seconds without change and must be above 0`);
  });
  return problems;
}
