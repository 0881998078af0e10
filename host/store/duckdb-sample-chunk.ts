import { endianness } from "node:os";
import { BIGINT, DOUBLE, DuckDBAppender, DuckDBDataChunk, INTEGER } from "@duckdb/node-api";

/** DuckDB's vector size: one data chunk holds at most this many rows. */
export const CHUNK_ROWS = 2048;
/** Columns of `samples`: stream, t_us, raw, value. */
const SAMPLE_TYPES = [INTEGER, BIGINT, DOUBLE, DOUBLE];
const TWO_32 = 4294967296;

if (endianness() !== "LE") throw new Error("the DuckDB store writes BIGINT times as two 32-bit halves and needs a little-endian CPU");

/**
 * The typed array a fixed-width vector of @duckdb/node-api keeps its values in, which `flush()`
 * copies into DuckDB's vector. The library has no public call to fill a vector from a typed array
 * (only value by value), so this reaches the field and checks it is what it must be.
 */
function itemsOf<T extends BigInt64Array | Int32Array | Float64Array>(chunk: DuckDBDataChunk, column: number, kind: { new (n: number): T; name: string }): T {
  const items = (chunk.getColumnVector(column) as unknown as { items?: unknown }).items;
  if (!(items instanceof (kind as unknown as typeof Float64Array | typeof Int32Array | typeof BigInt64Array))) {
    throw new Error(`@duckdb/node-api vector of column ${column} keeps no ${kind.name} of items; this store needs @duckdb/node-api 1.5 (see package.json)`);
  }
  return items as T;
}

interface Columns {
  chunk: DuckDBDataChunk;
  stream: Int32Array;
  t_us: BigInt64Array;
  /** The same memory as `t_us`, two 32-bit halves per time. */
  t_halves: Int32Array;
  raw: Float64Array;
  value: Float64Array;
}

function columns(rows: number): Columns {
  const chunk = DuckDBDataChunk.create(SAMPLE_TYPES, rows);
  const t_us = itemsOf(chunk, 1, BigInt64Array);
  return {
    chunk,
    stream: itemsOf(chunk, 0, Int32Array),
    t_us,
    t_halves: new Int32Array(t_us.buffer, t_us.byteOffset, 2 * rows),
    raw: itemsOf(chunk, 2, Float64Array),
    value: itemsOf(chunk, 3, Float64Array),
  };
}

/**
 * Up to CHUNK_ROWS sample rows written straight into the vectors of a DuckDB data chunk, which is
 * handed to the appender whole: converting each value to a DuckDB value object was most of the
 * cost of storing a sample. The appender copies the chunk, so it can be refilled after. Times go
 * into the BIGINT column as two 32-bit halves, which spares a BigInt per sample.
 */
export class SampleChunk {
  private readonly columns = columns(CHUNK_ROWS);
  rows = 0;

  get full(): boolean {
    return this.rows === CHUNK_ROWS;
  }

  /**
   * Appends rows [from, to) of one channel's arrays; returns the index after the last row taken,
   * which is `to` unless the chunk filled up first.
   */
  fill(stream: number, t_us: ArrayLike<number>, raw: ArrayLike<number>, value: ArrayLike<number>, from: number, to: number): number {
    const c = this.columns;
    const n = Math.min(to - from, CHUNK_ROWS - this.rows);
    const at = this.rows;
    // Whole numbers within ±2^53 (checkSamples): the low half is ToInt32, the high half the quotient.
    for (let k = 0; k < n; k++) {
      const t = t_us[from + k]!;
      c.t_halves[2 * (at + k)] = t | 0;
      c.t_halves[2 * (at + k) + 1] = Math.floor(t / TWO_32);
    }
    c.stream.fill(stream, at, at + n);
    copyInto(c.raw, at, raw, from, n);
    copyInto(c.value, at, value, from, n);
    this.rows += n;
    return from + n;
  }

  /** Appends rows [from, from + n) of `source`, which must fit. */
  copyFrom(source: SampleChunk, from: number, n: number): void {
    const to = this.columns;
    const at = this.rows;
    to.stream.set(source.columns.stream.subarray(from, from + n), at);
    to.t_us.set(source.columns.t_us.subarray(from, from + n), at);
    to.raw.set(source.columns.raw.subarray(from, from + n), at);
    to.value.set(source.columns.value.subarray(from, from + n), at);
    this.rows += n;
  }

  appendTo(appender: DuckDBAppender): void {
    if (this.rows === 0) return;
    const n = this.rows;
    let target = this.columns;
    // A short chunk (the last of a batch) is copied into one of its size: a chunk's row count is fixed once its vectors are read.
    if (n < CHUNK_ROWS) {
      target = columns(n);
      target.stream.set(this.columns.stream.subarray(0, n));
      target.t_us.set(this.columns.t_us.subarray(0, n));
      target.raw.set(this.columns.raw.subarray(0, n));
      target.value.set(this.columns.value.subarray(0, n));
    }
    for (let c = 0; c < SAMPLE_TYPES.length; c++) target.chunk.getColumnVector(c).flush();
    appender.appendDataChunk(target.chunk);
  }
}

/**
 * Chunks kept for reuse. A batch's samples are copied into pooled chunks as its frames are written,
 * so the decoded arrays die young instead of living until the commit, and the chunks themselves
 * are allocated once.
 */
export class ChunkPool {
  private readonly free: SampleChunk[] = [];

  take(): SampleChunk {
    const chunk = this.free.pop() ?? new SampleChunk();
    chunk.rows = 0;
    return chunk;
  }

  give(chunks: readonly SampleChunk[]): void {
    this.free.push(...chunks);
  }
}

/** A typed-array source is copied in one native call; a plain array value by value. */
function copyInto(target: Float64Array, at: number, source: ArrayLike<number>, from: number, n: number): void {
  if (ArrayBuffer.isView(source)) {
    target.set((source as unknown as Float64Array).subarray(from, from + n), at);
    return;
  }
  for (let k = 0; k < n; k++) target[at + k] = source[from + k]!;
}
