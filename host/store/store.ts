import type { Birth, BirthChannel } from "../../protocol/schema/birth.ts";
import type { Data } from "../../protocol/schema/data.ts";

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
 * Where the bridge keeps births and samples. Writes may be buffered until `flush()`; when `flush()`
 * resolves, every write made before it is committed and survives a crash (the bridge acknowledges
 * messages to the broker only then). Reads see every write made before them. Writing the same
 * frame twice stores its samples once: rows are keyed by (board, boot, seq, channel, k).
 */
export interface SampleStore {
  open(): Promise<void>;
  /** Every board's latest birth, so a restarted bridge can read frames that arrive before the retained births. */
  births(): Promise<StoredBirth[]>;
  writeBirth(rig: string, board: string, birth: Birth): Promise<void>;
  writeFrame(rig: string, board: string, frame: Data, samples: ChannelSamples[]): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
  boards(): Promise<BoardRecord[]>;
  channels(board: string): Promise<BirthChannel[]>;
  samples(query: SampleQuery): Promise<StoredSample[]>;
  latest(board: string, channel: string): Promise<StoredSample | undefined>;
}
