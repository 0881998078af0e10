import type { Birth, BirthChannel } from "../../protocol/schema/birth.ts";
import type { Alarm } from "../../protocol/schema/alarm.ts";
import type { Data } from "../../protocol/schema/data.ts";
import type { AlarmQuery, AlarmRecord, ExportQuery, ExportTable, History, HistoryQuery } from "../bridge/api-types.ts";

/** One channel's decoded samples of one frame, index k matching across the three arrays. */
export interface ChannelSamples {
  channel: string;
  t_us: ArrayLike<number>;
  raw: ArrayLike<number>;
  value: ArrayLike<number>;
}

/** A board as its latest birth describes it. */
export interface BoardRecord {
  board: string;
  rig: string;
  boot: number;
  profile: string;
  fw: Birth["fw"];
  /** Board time of the latest birth, µs since the Unix epoch. */
  birth_t_us: number;
  channels: BirthChannel[];
}

/** Samples returned when a query gives no limit. */
export const DEFAULT_SAMPLE_LIMIT = 10_000;

export interface SampleQuery {
  board: string;
  channel: string;
  /** Inclusive lower bound, µs since the Unix epoch. */
  from_us?: number;
  /** Exclusive upper bound, µs since the Unix epoch. */
  to_us?: number;
  /** At most this many samples, earliest first; DEFAULT_SAMPLE_LIMIT when absent. */
  limit?: number;
}

export interface StoredSample {
  t_us: number;
  raw: number;
  value: number;
}

export interface StoredBirth {
  rig: string;
  birth: Birth;
}

/**
 * A data frame the bridge cannot read yet: no birth of its boot is known (the boot never reached
 * the broker, or its birth has not arrived). Kept as received, keyed by (board, boot, seq), until
 * a birth of that boot turns it into samples.
 */
export interface PendingFrame {
  rig: string;
  board: string;
  boot: number;
  seq: number;
  /** The data message's CBOR payload, unchanged. */
  payload: Uint8Array;
  /** Host time of its first arrival, ms. */
  received_ms: number;
}

/**
 * Where the bridge keeps births and samples. Writes may be buffered until `flush()`; when `flush()`
 * resolves, every write made before it is committed and survives a crash (the bridge acknowledges
 * messages to the broker only then). Reads see every write made before them. Writing the same
 * frame twice stores its samples once: frames are keyed by (board, boot, seq).
 */
export interface SampleStore {
  open(): Promise<void>;
  /** Every board's latest birth, so a restarted bridge can read frames that arrive before the retained births. */
  births(): Promise<StoredBirth[]>;
  /** The birth of one boot of a board, whether or not it is the latest. */
  birthOf(board: string, boot: number): Promise<StoredBirth | undefined>;
  writeBirth(rig: string, board: string, birth: Birth): Promise<void>;
  /** Keeps a frame that cannot be read yet, once per (board, boot, seq); committed when it resolves. */
  writePending(frame: PendingFrame): Promise<void>;
  /** Frames kept by writePending, of one board (and boot) or all, in (board, boot, seq) order. */
  pendingFrames(board?: string, boot?: number): Promise<PendingFrame[]>;
  /** Forgets pending frames once their samples are committed; committed when it resolves. */
  dropPending(board: string, boot: number, seqs: readonly number[]): Promise<void>;
  writeFrame(rig: string, board: string, frame: Data, samples: ChannelSamples[]): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
  boards(): Promise<BoardRecord[]>;
  channels(board: string): Promise<BirthChannel[]>;
  samples(query: SampleQuery): Promise<StoredSample[]>;
  latest(board: string, channel: string): Promise<StoredSample | undefined>;
  /** Stores one alarm edge, once per (board, boot, n); committed at once (alarms are rare). */
  writeAlarm(rig: string, board: string, alarm: Alarm, received_ms: number): Promise<void>;
  /** Marks the stored edge (board, boot, n) as seen by `user`; false when no such edge is stored. */
  acknowledgeAlarm(board: string, boot: number, n: number, user: string, at_ms: number): Promise<boolean>;
  /** Alarm edges, newest first. */
  alarms(query?: AlarmQuery): Promise<AlarmRecord[]>;
  /** Min, max and count of one channel's values per time bucket, computed by the database. */
  history(query: HistoryQuery): Promise<History>;
  /** A board's channels on one time base with BDF column names and a metadata record (host/export). */
  exportRows(query: ExportQuery): Promise<ExportTable>;
}

/** Alarm edges returned when a query gives no limit. */
export const DEFAULT_ALARM_LIMIT = 1000;

/** The key the dashboard names an alarm by: one rule on one channel. */
export function alarmKey(channel: string, rule: string): string {
  return `${channel}/${rule}`;
}

/** Checks a history query before it reaches SQL; the message names the bad field. */
export function checkHistoryQuery(query: HistoryQuery): void {
  if (!Number.isInteger(query.buckets) || query.buckets < 1 || query.buckets > 100_000) {
    throw new Error(`history of ${query.board}/${query.channel}: buckets must be an integer from 1 to 100000, got ${query.buckets}`);
  }
  if (!(query.to_us > query.from_us)) {
    throw new Error(`history of ${query.board}/${query.channel}: to_us (${query.to_us}) must be after from_us (${query.from_us})`);
  }
}

/** Bucket width in µs, at least 1, so [from_us, to_us) is covered by `buckets` buckets. */
export function bucketWidth_us(query: HistoryQuery): number {
  return Math.max(1, Math.ceil((query.to_us - query.from_us) / query.buckets));
}
