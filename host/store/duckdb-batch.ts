import { BIGINT, DuckDBAppender, DuckDBConnection, DuckDBDataChunk, VARCHAR, type DuckDBValue } from "@duckdb/node-api";
import { CHUNK_ROWS, ChunkPool, SampleChunk } from "./duckdb-sample-chunk.ts";
import { COMMIT_BATCH } from "./duckdb-schema.ts";
import type { ChannelSamples } from "./store.ts";

/** A frame waiting for its commit: its key, and where its rows are in the batch's chunks. */
interface HeldFrame {
  board: string;
  boot: number;
  seq: number;
  /** Index of its first row over all the batch's chunks, each full but the last. */
  first: number;
  rows: number;
}

export interface NewStream {
  stream: number;
  board: string;
  channel: string;
}

export function frameKey(board: string, boot: number, seq: number): string {
  return `${board}\u0000${boot}\u0000${seq}`;
}

/** The frames written since the last commit, their samples already in DuckDB data chunks. */
export class FrameBatch {
  private readonly held: HeldFrame[] = [];
  private readonly keys = new Set<string>();
  private readonly chunks: SampleChunk[] = [];
  private readonly pool: ChunkPool;
  rows = 0;

  constructor(pool: ChunkPool) {
    this.pool = pool;
  }

  get size(): number {
    return this.held.length;
  }

  /** False for a frame already in this batch: a redelivery before its commit is stored once. */
  add(board: string, boot: number, seq: number, streams: number[], samples: ChannelSamples[]): boolean {
    const key = frameKey(board, boot, seq);
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    const first = this.rows;
    for (let c = 0; c < samples.length; c++) {
      const { t_us, raw, value } = samples[c]!;
      const n = t_us.length;
      for (let k = 0; k < n; ) {
        let chunk = this.chunks.at(-1);
        if (chunk === undefined || chunk.full) this.chunks.push((chunk = this.pool.take()));
        k = chunk.fill(streams[c]!, t_us, raw, value, k, n);
      }
      this.rows += n;
    }
    this.held.push({ board, boot, seq, first, rows: this.rows - first });
    return true;
  }

  /**
   * Commits the batch in one transaction (see COMMIT_BATCH): the frames not stored yet go into
   * `frames` and their samples, appended straight into `samples`, with them, and so do the rows of
   * `streams` not committed yet. On failure nothing of it is kept: the bridge has acknowledged none
   * of its messages and the broker sends them again. Either way the chunks go back to the pool.
   */
  async commit(connection: DuckDBConnection, appenders: { frames: DuckDBAppender; samples: DuckDBAppender }, newStreams: readonly NewStream[]): Promise<void> {
    if (this.held.length === 0) return;
    try {
      await connection.run("BEGIN TRANSACTION");
      try {
        for (const s of newStreams) await connection.run(COMMIT_BATCH.insertStream, { stream: s.stream, board: s.board, channel: s.channel });
        this.appendKeys(appenders.frames);
        const inserted = (await connection.runAndReadAll(COMMIT_BATCH.insertFrames)).getRows();
        if (inserted.length === this.held.length) {
          for (const chunk of this.chunks) chunk.appendTo(appenders.samples);
        } else {
          const stored = new Set(inserted.map(([board, boot, seq]) => frameKey(String(board), Number(boot), Number(seq))));
          this.appendFramesOnly(appenders.samples, this.held.filter((f) => stored.has(frameKey(f.board, f.boot, f.seq))));
        }
        appenders.samples.flushSync();
        await connection.run(COMMIT_BATCH.clearKeys);
        await connection.run("COMMIT");
      } catch (err) {
        appenders.samples.clear();
        appenders.frames.clear();
        await connection.run("ROLLBACK").catch(() => undefined);
        throw err;
      }
    } finally {
      this.pool.give(this.chunks.splice(0));
    }
  }

  /** The rows of `frames` only, copied into chunks of their own: some of the batch was stored before. */
  private appendFramesOnly(appender: DuckDBAppender, frames: readonly HeldFrame[]): void {
    const out = this.pool.take();
    try {
      for (const frame of frames) {
        for (let row = frame.first, end = frame.first + frame.rows; row < end; ) {
          const source = this.chunks[Math.floor(row / CHUNK_ROWS)]!;
          const offset = row % CHUNK_ROWS;
          const n = Math.min(end - row, source.rows - offset, CHUNK_ROWS - out.rows);
          out.copyFrom(source, offset, n);
          row += n;
          if (out.full) {
            out.appendTo(appender);
            out.rows = 0;
          }
        }
      }
      out.appendTo(appender);
    } finally {
      this.pool.give([out]);
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
