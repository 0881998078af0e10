import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import {
  BIGINT,
  DOUBLE,
  DuckDBAppender,
  DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  INTEGER,
  VARCHAR,
  type DuckDBValue,
} from "@duckdb/node-api";
import type { Birth, BirthChannel } from "../../protocol/schema/birth.ts";
import type { Data } from "../../protocol/schema/data.ts";
import { CREATE_TABLES, MERGE_INCOMING } from "./duckdb-schema.ts";
import { cborToJson } from "./json.ts";
import { checkLengths } from "./sample-rows.ts";
import { SerialQueue } from "./serial-queue.ts";
import { DEFAULT_SAMPLE_LIMIT, type BoardRecord, type ChannelSamples, type SampleQuery, type SampleStore, type StoredBirth, type StoredSample } from "./store.ts";

export const DEFAULT_DATABASE_PATH = "./data/cellrig.duckdb";

export interface DuckDbStoreOptions {
  /** Database file, created with its folder if missing; ":memory:" keeps nothing on disk. */
  path?: string;
  /** Buffered rows that trigger a merge without waiting for flush(). */
  mergeAfterRows?: number;
}

/** DuckDB's vector size: one data chunk holds at most this many rows. */
const CHUNK_ROWS = 2048;
const INCOMING_TYPES = [VARCHAR, BIGINT, BIGINT, VARCHAR, INTEGER, BIGINT, DOUBLE, DOUBLE];

interface Open {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  appender: DuckDBAppender;
}

/** A SampleStore in one DuckDB file; see duckdb-schema.ts for how duplicates are kept out. */
export class DuckDbStore implements SampleStore {
  private readonly path: string;
  private readonly mergeAfterRows: number;
  private readonly queue = new SerialQueue();
  private db: Open | undefined;
  private pendingRows = 0;

  constructor(options: DuckDbStoreOptions = {}) {
    this.path = options.path ?? DEFAULT_DATABASE_PATH;
    // Bounds the rows held in memory by the appender, which a crash before the next merge would lose.
    this.mergeAfterRows = options.mergeAfterRows ?? 50_000;
  }

  open(): Promise<void> {
    return this.queue.run(async () => {
      if (this.db !== undefined) return;
      if (this.path !== ":memory:") await mkdir(dirname(this.path), { recursive: true });
      const instance = await DuckDBInstance.create(this.path);
      const connection = await instance.connect();
      for (const sql of CREATE_TABLES) await connection.run(sql);
      for (const sql of MERGE_INCOMING) await connection.run(sql);
      const appender = await connection.createAppender("samples_incoming");
      this.db = { instance, connection, appender };
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

  writeFrame(_rig: string, board: string, frame: Data, samples: ChannelSamples[]): Promise<void> {
    return this.queue.run(async () => {
      const { appender } = this.opened();
      const boot = BigInt(frame.b);
      const seq = BigInt(frame.s);
      checkLengths(board, samples);
      for (const channel of samples) {
        const n = channel.t_us.length;
        for (let start = 0; start < n; start += CHUNK_ROWS) {
          const rows = Math.min(CHUNK_ROWS, n - start);
          const columns: DuckDBValue[][] = [
            new Array<DuckDBValue>(rows).fill(board),
            new Array<DuckDBValue>(rows).fill(boot),
            new Array<DuckDBValue>(rows).fill(seq),
            new Array<DuckDBValue>(rows).fill(channel.channel),
            [],
            [],
            [],
            [],
          ];
          for (let k = start; k < start + rows; k++) {
            columns[4]!.push(k);
            columns[5]!.push(BigInt(channel.t_us[k]!));
            columns[6]!.push(channel.raw[k]!);
            columns[7]!.push(channel.value[k]!);
          }
          const chunk = DuckDBDataChunk.create(INCOMING_TYPES, rows);
          chunk.setColumns(columns);
          appender.appendDataChunk(chunk);
        }
        this.pendingRows += n;
      }
      if (this.pendingRows >= this.mergeAfterRows) await this.mergeIncoming();
    });
  }

  flush(): Promise<void> {
    return this.queue.run(() => this.mergeIncoming());
  }

  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.db === undefined) return;
      await this.mergeIncoming();
      const { instance, connection, appender } = this.db;
      this.db = undefined;
      appender.closeSync();
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
      const reader = await connection.runAndReadAll(
        `SELECT h.board, h.boot, h.rig, h.t_us, h.profile, h.fw::VARCHAR AS fw, h.clock::VARCHAR AS clock, h.tick_us, h.seq, h.channels::VARCHAR AS channels
         FROM boards b JOIN births h ON h.board = b.board AND h.boot = b.boot ORDER BY h.board`,
      );
      return reader.getRowObjects().map((row) => ({
        rig: String(row.rig),
        birth: {
          board: String(row.board),
          boot: Number(row.boot),
          channels: JSON.parse(String(row.channels)) as BirthChannel[],
          clock: JSON.parse(String(row.clock)) as Birth["clock"],
          fw: JSON.parse(String(row.fw)) as Birth["fw"],
          profile: String(row.profile),
          rig: String(row.rig),
          seq: Number(row.seq),
          t: Number(row.t_us),
          tick_us: Number(row.tick_us),
          v: 1,
        },
      }));
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
         WHERE board = $board AND channel = $channel AND t_us >= $from_us AND t_us < $to_us
         ORDER BY t_us, boot, seq, k
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
        `SELECT t_us, raw, value FROM samples WHERE board = $board AND channel = $channel ORDER BY t_us DESC, boot DESC, seq DESC, k DESC LIMIT 1`,
        { board, channel },
      );
      const [row] = reader.getRowObjects();
      return row === undefined ? undefined : toStoredSample(row);
    });
  }

  /** Reads merge buffered rows first so they see every earlier write. */
  private read<T>(query: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      await this.mergeIncoming();
      return query(this.opened().connection);
    });
  }

  private async mergeIncoming(): Promise<void> {
    if (this.pendingRows === 0) return;
    const { connection, appender } = this.opened();
    appender.flushSync();
    for (const sql of MERGE_INCOMING) await connection.run(sql);
    this.pendingRows = 0;
  }

  private opened(): Open {
    if (this.db === undefined) throw new Error(`DuckDB store ${this.path} is not open (call open() first)`);
    return this.db;
  }
}

function toStoredSample(row: Record<string, DuckDBValue>): StoredSample {
  return { t_us: Number(row.t_us), raw: Number(row.raw), value: Number(row.value) };
}
