import { BIGINT, DuckDBAppender, DuckDBConnection, DuckDBDataChunk, VARCHAR, type DuckDBValue } from "@duckdb/node-api";
import { CHUNK_ROWS, SampleChunk } from "./duckdb-sample-chunk.ts";
import { COMMIT_BATCH } from "./duckdb-schema.ts";
import type { ChannelSamples } from "./store.ts";

/** A frame waiting for its commit: its key, and its channels with their stream ids. */
interface HeldFrame {
  board: string;
  boot: number;
  seq: number;
  streams: number[];
  samples: ChannelSamples[];
}

export interface NewStream {
  stream: number;
  board: string;
  channel: string;
}

export function frameKey(board: string, boot: number, seq: number): string {
  return `${board}\u0000${boot}\u0000${seq}`;
}

/**
 * The frames written since the last commit. Their sample arrays are kept as handed over, not
 * copied: they are copied once, into DuckDB's vectors, when the batch is committed.
 */
export class FrameBatch {
  private readonly held: HeldFrame[] = [];
  private readonly keys = new Set<string>();
  rows = 0;

  get size(): number {
    return this.held.length;
  }

  /** False for a frame already in this batch: a redelivery before its commit is stored once. */
  add(board: string, boot: number, seq: number, streams: number[], samples: ChannelSamples[]): boolean {
    const key = frameKey(board, boot, seq);
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    this.held.push({ board, boot, seq, streams, samples });
    for (const channel of samples) this.rows += channel.t_us.length;
    return true;
  }

  /**
   * Commits the batch in one transaction (see COMMIT_BATCH): the frames not stored yet go into
   * `frames` and their samples, appended straight into `samples`, with them, and so do the rows of
   * `streams` not committed yet. On failure nothing of it is kept: the bridge has acknowledged none
   * of its messages and the broker sends them again.
   */
  async commit(
    connection: DuckDBConnection,
    appenders: { frames: DuckDBAppender; samples: DuckDBAppender },
    chunk: SampleChunk,
    newStreams: readonly NewStream[],
  ): Promise<void> {
    if (this.held.length === 0) return;
    await connection.run("BEGIN TRANSACTION");
    try {
      for (const s of newStreams) await connection.run(COMMIT_BATCH.insertStream, { stream: s.stream, board: s.board, channel: s.channel });
      this.appendKeys(appenders.frames);
      const inserted = (await connection.runAndReadAll(COMMIT_BATCH.insertFrames)).getRows();
      let stored: Set<string> | undefined;
      if (inserted.length < this.held.length) stored = new Set(inserted.map(([board, boot, seq]) => frameKey(String(board), Number(boot), Number(seq))));
      for (const frame of this.held) {
        if (stored !== undefined && !stored.has(frameKey(frame.board, frame.boot, frame.seq))) continue;
        for (let c = 0; c < frame.samples.length; c++) {
          const { t_us, raw, value } = frame.samples[c]!;
          const n = t_us.length;
          for (let k = 0; k < n; ) {
            k = chunk.fill(frame.streams[c]!, t_us, raw, value, k, n);
            if (chunk.full) chunk.appendTo(appenders.samples);
          }
        }
      }
      chunk.appendTo(appenders.samples);
      appenders.samples.flushSync();
      await connection.run(COMMIT_BATCH.clearKeys);
      await connection.run("COMMIT");
    } catch (err) {
      chunk.clear();
      appenders.samples.clear();
      appenders.frames.clear();
      await connection.run("ROLLBACK").catch(() => undefined);
      throw err;
    }
  }

  /** The batch's frame keys into the temporary `frames_batch`, a data chunk at a time. */
  private appendKeys(appender: DuckDBAppender): void {
    for (let from = 0; from < this.held.length; from += CHUNK_ROWS) {
      const frames = this.held.slice(from, from + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(FRAME_KEY_TYPES, frames.length);
      const columns: DuckDBValue[][] = [frames.map((f) => f.board), frames.map((f) => BigInt(f.boot)), frames.map((f) => BigInt(f.seq))];
      chunk.setColumns(columns);
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  }
}

const FRAME_KEY_TYPES = [VARCHAR, BIGINT, BIGINT];
