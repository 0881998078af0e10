import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { blobValue, DuckDBAppender, DuckDBConnection, DuckDBInstance, listValue, type DuckDBBlobValue, type DuckDBValue } from "@duckdb/node-api";
import type { Alarm } from "../../protocol/schema/alarm.ts";
import type { Birth, BirthChannel } from "../../protocol/schema/birth.ts";
import type { Data } from "../../protocol/schema/data.ts";
import type { AlarmQuery, AlarmRecord, ExportQuery, ExportTable, History, HistoryQuery } from "../bridge/api-types.ts";
import { exportTable } from "../export/export-table.ts";
import { FrameBatch, type NewStream } from "./duckdb-batch.ts";
import { ChunkPool } from "./duckdb-sample-chunk.ts";
import { CREATE_BATCH_TABLE, CREATE_TABLES, LEFTOVER_INCOMING_CHECK, MERGE_LEFTOVER_INCOMING, MIGRATE_OLD_LAYOUT, OLD_LAYOUT_CHECK } from "./duckdb-schema.ts";
import { toAlarmRecord } from "./alarm-rows.ts";
import { toStoredBirth } from "./birth-rows.ts";
import { cborToJson } from "./json.ts";
import { checkSamples } from "./sample-rows.ts";
import { SerialQueue } from "./serial-queue.ts";
import {
  bucketWidth_us,
  checkHistoryQuery,
  DEFAULT_ALARM_LIMIT,
  DEFAULT_SAMPLE_LIMIT,
  type BoardRecord,
  type ChannelSamples,
  type PendingFrame,
  type SampleQuery,
  type SampleStore,
  type StoredBirth,
  type StoredSample,
} from "./store.ts";

export const DEFAULT_DATABASE_PATH = "./data/cellrig.duckdb";

export interface DuckDbStoreOptions {
  /** Database file, created with its folder if missing; ":memory:" keeps nothing on disk. */
  path?: string;
  /** Buffered rows that trigger a commit without waiting for flush(). */
  mergeAfterRows?: number;
}

interface Open {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  samples: DuckDBAppender;
  frames: DuckDBAppender;
}

/** A SampleStore in one DuckDB file; see duckdb-schema.ts for how duplicates are kept out. */
export class DuckDbStore implements SampleStore {
  private readonly path: string;
  private readonly mergeAfterRows: number;
  private readonly queue = new SerialQueue();
  private db: Open | undefined;
  private readonly pool = new ChunkPool();
  /** Frames written since the last commit; writes only buffer, so they never wait for a commit. */
  private batch = new FrameBatch(this.pool);
  private readonly streamIds = new Map<string, number>();
  /** Stream ids handed out whose rows in `streams` are not committed yet; the next commit inserts them. */
  private readonly newStreams: NewStream[] = [];
  private nextStream = 1;

  constructor(options: DuckDbStoreOptions = {}) {
    this.path = options.path ?? DEFAULT_DATABASE_PATH;
    // Bounds the rows held in memory by the appender, which a crash before the next merge would lose.
    this.mergeAfterRows = options.mergeAfterRows ?? 500_000;
  }

  open(): Promise<void> {
    return this.queue.run(async () => {
      if (this.db !== undefined) return;
      if (this.path !== ":memory:") await mkdir(dirname(this.path), { recursive: true });
      const instance = await DuckDBInstance.create(this.path);
      const connection = await instance.connect();
      const old = await connection.runAndReadAll(OLD_LAYOUT_CHECK);
      if (Number(old.getRowObjects()[0]!.n) > 0) for (const sql of MIGRATE_OLD_LAYOUT) await connection.run(sql);
      for (const sql of CREATE_TABLES) await connection.run(sql);
      const leftover = await connection.runAndReadAll(LEFTOVER_INCOMING_CHECK);
      if (Number(leftover.getRowObjects()[0]!.n) > 0) for (const sql of MERGE_LEFTOVER_INCOMING) await connection.run(sql);
      await connection.run(CREATE_BATCH_TABLE);
      const streams = await connection.runAndReadAll("SELECT stream, board, channel FROM streams");
      for (const row of streams.getRowObjects()) {
        this.streamIds.set(streamKey(String(row.board), String(row.channel)), Number(row.stream));
        this.nextStream = Math.max(this.nextStream, Number(row.stream) + 1);
      }
      const samples = await connection.createAppender("samples");
      const frames = await connection.createAppender("frames_batch", "main", "temp");
      this.db = { instance, connection, samples, frames };
    });
  }

  writeBirth(rig: string, board: string, birth: Birth): Promise<void> {
    return this.queue.run(async () => {
      const { connection } = this.opened();
      await connection.run(
        `INSERT OR REPLACE INTO births VALUES ($board, $boot, $rig, $t_us, $profile, $fw::JSON, $clock::JSON, $tick_us, $seq, $channels::JSON)`,
        {
          board,
          boot: BigInt(birth.boot),
          rig,
          t_us: BigInt(birth.t),
          profile: birth.profile,
          fw: cborToJson(birth.fw),
          clock: cborToJson(birth.clock),
          tick_us: BigInt(birth.tick_us),
          seq: BigInt(birth.seq),
          channels: cborToJson(birth.channels),
        },
      );
      await connection.run(`INSERT OR REPLACE INTO boards VALUES ($board, $rig, $boot)`, { board, rig, boot: BigInt(birth.boot) });
    });
  }

  /** Buffers the frame; it is committed by the next flush() or read, or once the batch holds mergeAfterRows. */
  async writeFrame(_rig: string, board: string, frame: Data, samples: ChannelSamples[]): Promise<void> {
    this.opened();
    checkSamples(board, samples);
    const streams = samples.map((channel) => this.streamId(board, channel.channel));
    this.batch.add(board, frame.b, frame.s, streams, samples);
    if (this.batch.rows >= this.mergeAfterRows) await this.flush();
  }

  /**
   * Commits what was written before the call, and what was written while earlier commits ran:
   * flushes asked for during a commit are served by one larger commit, so a slow disk gets fewer,
   * bigger transactions instead of a queue of small ones.
   */
  flush(): Promise<void> {
    return this.queue.run(() => this.commit(this.takeBatch()));
  }

  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.db === undefined) return;
      await this.commit(this.takeBatch());
      const { instance, connection, samples, frames } = this.db;
      this.db = undefined;
      samples.closeSync();
      frames.closeSync();
      connection.closeSync();
      instance.closeSync();
    });
  }

  boards(): Promise<BoardRecord[]> {
    return this.read(async (connection) => {
      const reader = await connection.runAndReadAll(
        `SELECT b.board, b.rig, b.boot, h.profile, h.fw::VARCHAR AS fw, h.t_us, h.channels::VARCHAR AS channels
         FROM boards b JOIN births h ON h.board = b.board AND h.boot = b.boot
         ORDER BY b.board`,
      );
      return reader.getRowObjects().map((row) => ({
        board: String(row.board),
        rig: String(row.rig),
        boot: Number(row.boot),
        profile: String(row.profile),
        fw: JSON.parse(String(row.fw)) as Birth["fw"],
        birth_t_us: Number(row.t_us),
        channels: JSON.parse(String(row.channels)) as BirthChannel[],
      }));
    });
  }

  births(): Promise<StoredBirth[]> {
    return this.read(async (connection) => {
      const reader = await connection.runAndReadAll(`${SELECT_BIRTH} JOIN boards b ON h.board = b.board AND h.boot = b.boot ORDER BY h.board`);
      return reader.getRowObjects().map((row) => toStoredBirth(row, fromJsonText));
    });
  }

  birthOf(board: string, boot: number): Promise<StoredBirth | undefined> {
    return this.queue.run(async () => {
      const reader = await this.opened().connection.runAndReadAll(`${SELECT_BIRTH} WHERE h.board = $board AND h.boot = $boot`, { board, boot: BigInt(boot) });
      const [row] = reader.getRowObjects();
      return row === undefined ? undefined : toStoredBirth(row, fromJsonText);
    });
  }

  writePending(frame: PendingFrame): Promise<void> {
    return this.queue.run(async () => {
      await this.opened().connection.run(`INSERT OR IGNORE INTO pending_frames VALUES ($board, $boot, $seq, $rig, $payload, $received_ms)`, {
        board: frame.board,
        boot: BigInt(frame.boot),
        seq: BigInt(frame.seq),
        rig: frame.rig,
        payload: blobValue(frame.payload),
        received_ms: BigInt(Math.round(frame.received_ms)),
      });
    });
  }

  pendingFrames(board?: string, boot?: number): Promise<PendingFrame[]> {
    return this.queue.run(async () => {
      const reader = await this.opened().connection.runAndReadAll(
        `SELECT board, boot, seq, rig, payload, received_ms FROM pending_frames
         WHERE ($board IS NULL OR board = $board) AND ($boot IS NULL OR boot = $boot) ORDER BY board, boot, seq`,
        { board: board ?? null, boot: boot === undefined ? null : BigInt(boot) },
      );
      return reader.getRowObjects().map((row) => ({
        rig: String(row.rig),
        board: String(row.board),
        boot: Number(row.boot),
        seq: Number(row.seq),
        payload: (row.payload as DuckDBBlobValue).bytes,
        received_ms: Number(row.received_ms),
      }));
    });
  }

  dropPending(board: string, boot: number, seqs: readonly number[]): Promise<void> {
    return this.queue.run(async () => {
      if (seqs.length === 0) return;
      await this.opened().connection.run(`DELETE FROM pending_frames WHERE board = $board AND boot = $boot AND list_contains($seqs::BIGINT[], seq)`, {
        board,
        boot: BigInt(boot),
        seqs: listValue(seqs.map((s) => BigInt(s))),
      });
    });
  }

  channels(board: string): Promise<BirthChannel[]> {
    return this.read(async (connection) => {
      const reader = await connection.runAndReadAll(
        `SELECT h.channels::VARCHAR AS channels FROM boards b JOIN births h ON h.board = b.board AND h.boot = b.boot WHERE b.board = $board`,
        { board },
      );
      const [row] = reader.getRowObjects();
      return row === undefined ? [] : (JSON.parse(String(row.channels)) as BirthChannel[]);
    });
  }

  samples(query: SampleQuery): Promise<StoredSample[]> {
    return this.read(async (connection) => {
      const reader = await connection.runAndReadAll(
        `SELECT t_us, raw, value FROM samples
         WHERE stream = (SELECT stream FROM streams WHERE board = $board AND channel = $channel) AND t_us >= $from_us::BIGINT AND t_us < $to_us::BIGINT
         ORDER BY t_us
         LIMIT $limit`,
        {
          board: query.board,
          channel: query.channel,
          from_us: BigInt(query.from_us ?? 0),
          to_us: BigInt(query.to_us ?? Number.MAX_SAFE_INTEGER),
          limit: BigInt(query.limit ?? DEFAULT_SAMPLE_LIMIT),
        },
      );
      return reader.getRowObjects().map(toStoredSample);
    });
  }

  latest(board: string, channel: string): Promise<StoredSample | undefined> {
    return this.read(async (connection) => {
      const reader = await connection.runAndReadAll(
        `SELECT t_us, raw, value FROM samples WHERE stream = (SELECT stream FROM streams WHERE board = $board AND channel = $channel) ORDER BY t_us DESC LIMIT 1`,
        { board, channel },
      );
      const [row] = reader.getRowObjects();
      return row === undefined ? undefined : toStoredSample(row);
    });
  }

  /** Reads commit buffered rows first so they see every earlier write. */
  private read<T>(query: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      await this.commit(this.takeBatch());
      return query(this.opened().connection);
    });
  }

  writeAlarm(rig: string, board: string, alarm: Alarm, received_ms: number): Promise<void> {
    return this.queue.run(async () => {
      await this.opened().connection.run(
        `INSERT OR IGNORE INTO alarms VALUES ($board, $boot, $n, $rig, $channel, $rule, $state, $t_us, $value, $threshold, $received_ms, NULL, NULL)`,
        {
          board,
          boot: BigInt(alarm.b),
          n: BigInt(alarm.n),
          rig,
          channel: alarm.channel,
          rule: alarm.rule,
          state: alarm.state,
          t_us: BigInt(alarm.t),
          value: alarm.value,
          threshold: alarm.threshold,
          received_ms: BigInt(Math.round(received_ms)),
        },
      );
    });
  }

  acknowledgeAlarm(board: string, boot: number, n: number, user: string, at_ms: number): Promise<boolean> {
    return this.queue.run(async () => {
      const reader = await this.opened().connection.runAndReadAll(
        `UPDATE alarms SET acknowledged_by = $user, acknowledged_ms = $at_ms WHERE board = $board AND boot = $boot AND n = $n RETURNING n`,
        { user, at_ms: BigInt(Math.round(at_ms)), board, boot: BigInt(boot), n: BigInt(n) },
      );
      return reader.getRowObjects().length > 0;
    });
  }

  alarms(query: AlarmQuery = {}): Promise<AlarmRecord[]> {
    return this.read(async (connection) => {
      const reader = await connection.runAndReadAll(
        `SELECT * FROM alarms WHERE ($board IS NULL OR board = $board) AND t_us >= $from_us AND t_us < $to_us
         ORDER BY t_us DESC, board, boot DESC, n DESC LIMIT $limit`,
        {
          board: query.board ?? null,
          from_us: BigInt(query.from_us ?? 0),
          to_us: BigInt(query.to_us ?? Number.MAX_SAFE_INTEGER),
          limit: BigInt(query.limit ?? DEFAULT_ALARM_LIMIT),
        },
      );
      return reader.getRowObjects().map(toAlarmRecord);
    });
  }

  history(query: HistoryQuery): Promise<History> {
    return this.read(async (connection) => {
      checkHistoryQuery(query);
      const width_us = bucketWidth_us(query);
      const reader = await connection.runAndReadAll(
        // Casts matter: untyped BigInt parameters bind wider than BIGINT and made this 20 times slower.
        `SELECT (t_us - $from_us::BIGINT) // $width_us::BIGINT AS bucket, min(value) AS min, max(value) AS max, count(*) AS count
         FROM samples
         WHERE stream = (SELECT stream FROM streams WHERE board = $board AND channel = $channel) AND t_us >= $from_us::BIGINT AND t_us < $to_us::BIGINT
         GROUP BY bucket ORDER BY bucket`,
        { board: query.board, channel: query.channel, from_us: BigInt(query.from_us), to_us: BigInt(query.to_us), width_us: BigInt(width_us) },
      );
      const columns = reader.getColumnsObjectJS();
      return {
        t_us: (columns.bucket ?? []).map((b) => query.from_us + Number(b) * width_us),
        min: (columns.min ?? []).map(Number),
        max: (columns.max ?? []).map(Number),
        count: (columns.count ?? []).map(Number),
      };
    });
  }

  exportRows(query: ExportQuery): Promise<ExportTable> {
    return exportTable(this, query);
  }

  /** The stream id of (board, channel); a new one is inserted into `streams` with the batch that first uses it. */
  private streamId(board: string, channel: string): number {
    const key = streamKey(board, channel);
    const known = this.streamIds.get(key);
    if (known !== undefined) return known;
    const stream = this.nextStream++;
    this.streamIds.set(key, stream);
    this.newStreams.push({ stream, board, channel });
    return stream;
  }

  private takeBatch(): FrameBatch {
    const batch = this.batch;
    this.batch = new FrameBatch(this.pool);
    return batch;
  }

  private async commit(batch: FrameBatch): Promise<void> {
    if (batch.size === 0) return;
    const { connection, samples, frames } = this.opened();
    const streams = this.newStreams.slice();
    await batch.commit(connection, { frames, samples }, streams);
    // Kept for the next commit if this one failed: later batches may already use their ids.
    this.newStreams.splice(0, streams.length);
  }

  private opened(): Open {
    if (this.db === undefined) throw new Error(`DuckDB store ${this.path} is not open (call open() first)`);
    return this.db;
  }
}

function streamKey(board: string, channel: string): string {
  return `${board}\u0000${channel}`;
}

const SELECT_BIRTH = `SELECT h.board, h.boot, h.rig, h.t_us, h.profile, h.fw::VARCHAR AS fw, h.clock::VARCHAR AS clock, h.tick_us, h.seq, h.channels::VARCHAR AS channels FROM births h`;

function toStoredSample(row: Record<string, DuckDBValue>): StoredSample {
  return { t_us: Number(row.t_us), raw: Number(row.raw), value: Number(row.value) };
}

/** DuckDB returns JSON columns as text. */
const fromJsonText = (text: unknown): unknown => JSON.parse(String(text));
