import { Pool, type PoolClient } from "pg";
import type { Alarm } from "../../protocol/schema/alarm.ts";
import type { Birth, BirthChannel } from "../../protocol/schema/birth.ts";
import type { Data } from "../../protocol/schema/data.ts";
import type { AlarmQuery, AlarmRecord, ExportQuery, ExportTable, History, HistoryQuery } from "../bridge/api-types.ts";
import { exportTable } from "../export/export-table.ts";
import { toAlarmRecord } from "./alarm-rows.ts";
import { toStoredBirth } from "./birth-rows.ts";
import { cborToJson } from "./json.ts";
import { CREATE_TABLES, INSERT_ALARM, INSERT_BIRTH, INSERT_SAMPLES, TIMESCALE_SETUP, UPSERT_BOARD } from "./postgres-schema.ts";
import { SerialQueue } from "./serial-queue.ts";
import { checkSamples } from "./sample-rows.ts";
import { bucketWidth_us, checkHistoryQuery, DEFAULT_ALARM_LIMIT, DEFAULT_SAMPLE_LIMIT, type BoardRecord, type ChannelSamples, type PendingFrame, type SampleQuery, type SampleStore, type StoredBirth, type StoredSample } from "./store.ts";

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** Rows per INSERT statement; a commit may hold several. */
  rowsPerStatement?: number;
  /** Connections for readers and the writer. */
  maxConnections?: number;
}

/** Sample rows waiting for the next commit, one array per column. */
class PendingRows {
  board: string[] = [];
  boot: number[] = [];
  seq: number[] = [];
  channel: string[] = [];
  k: number[] = [];
  t_us: number[] = [];
  raw: number[] = [];
  value: number[] = [];

  get length(): number {
    return this.board.length;
  }

  slice(start: number, end: number): unknown[] {
    return [this.board, this.boot, this.seq, this.channel, this.k, this.t_us, this.raw, this.value].map((column) => column.slice(start, end));
  }
}

/**
 * A SampleStore in PostgreSQL (a TimescaleDB hypertable when the extension is installed), for
 * several bridges writing and many readers. Rows are buffered and committed by `flush()` in one
 * transaction; the key (board, channel, t_us, boot, seq, k) makes redelivered frames no-ops, also
 * when another bridge stored them.
 */
export class PostgresStore implements SampleStore {
  private readonly url: string;
  private readonly rowsPerStatement: number;
  private readonly maxConnections: number;
  private readonly queue = new SerialQueue();
  private pool: Pool | undefined;
  private pending = new PendingRows();
  /** Whether `samples` is a TimescaleDB hypertable; for reports. */
  timescale = false;

  constructor(options: PostgresStoreOptions) {
    this.url = options.url;
    this.rowsPerStatement = options.rowsPerStatement ?? 20_000;
    this.maxConnections = options.maxConnections ?? 4;
  }

  open(): Promise<void> {
    return this.queue.run(async () => {
      if (this.pool !== undefined) return;
      const pool = new Pool({ connectionString: this.url, max: this.maxConnections });
      // An idle connection dropped by the server must not crash the process; the next query reconnects.
      pool.on("error", () => undefined);
      try {
        await this.transaction(pool, async (client) => {
          // Bridges starting together must not race on CREATE TABLE IF NOT EXISTS.
          await client.query("SELECT pg_advisory_xact_lock(7245230)");
          for (const sql of CREATE_TABLES) await client.query(sql);
        });
        this.timescale = await this.tryTimescale(pool);
      } catch (err) {
        await pool.end();
        throw new Error(`PostgreSQL store at ${redacted(this.url)} could not be opened: ${err instanceof Error ? err.message : String(err)} (is the server running and the database created?)`);
      }
      this.pool = pool;
    });
  }

  writeBirth(rig: string, board: string, birth: Birth): Promise<void> {
    return this.queue.run(() =>
      this.transaction(this.opened(), async (client) => {
        await client.query(INSERT_BIRTH, [board, birth.boot, rig, birth.t, birth.profile, cborToJson(birth.fw), cborToJson(birth.clock), birth.tick_us, birth.seq, cborToJson(birth.channels)]);
        await client.query(UPSERT_BOARD, [board, rig, birth.boot, birth.t]);
      }),
    );
  }

  writeFrame(_rig: string, board: string, frame: Data, samples: ChannelSamples[]): Promise<void> {
    return this.queue.run(async () => {
      this.opened();
      checkSamples(board, samples);
      const rows = this.pending;
      for (const channel of samples) {
        for (let k = 0; k < channel.t_us.length; k++) {
          rows.board.push(board);
          rows.boot.push(frame.b);
          rows.seq.push(frame.s);
          rows.channel.push(channel.channel);
          rows.k.push(k);
          rows.t_us.push(channel.t_us[k]!);
          rows.raw.push(channel.raw[k]!);
          rows.value.push(channel.value[k]!);
        }
      }
    });
  }

  flush(): Promise<void> {
    return this.queue.run(() => this.commitPending());
  }

  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.pool === undefined) return;
      await this.commitPending();
      const pool = this.pool;
      this.pool = undefined;
      await pool.end();
    });
  }

  births(): Promise<StoredBirth[]> {
    return this.read(async (pool) => {
      const { rows } = await pool.query(`SELECT h.* FROM boards b JOIN births h ON h.board = b.board AND h.boot = b.boot ORDER BY h.board`);
      return rows.map((row) => toStoredBirth(row, asParsed));
    });
  }

  birthOf(board: string, boot: number): Promise<StoredBirth | undefined> {
    return this.queue.run(async () => {
      const { rows } = await this.opened().query(`SELECT * FROM births WHERE board = $1 AND boot = $2`, [board, boot]);
      return rows.length === 0 ? undefined : toStoredBirth(rows[0], asParsed);
    });
  }

  writePending(frame: PendingFrame): Promise<void> {
    return this.queue.run(async () => {
      await this.opened().query(`INSERT INTO pending_frames VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, [
        frame.board,
        frame.boot,
        frame.seq,
        frame.rig,
        Buffer.from(frame.payload),
        Math.round(frame.received_ms),
      ]);
    });
  }

  pendingFrames(board?: string, boot?: number): Promise<PendingFrame[]> {
    return this.queue.run(async () => {
      const { rows } = await this.opened().query(
        `SELECT * FROM pending_frames WHERE ($1::text IS NULL OR board = $1) AND ($2::bigint IS NULL OR boot = $2) ORDER BY board, boot, seq`,
        [board ?? null, boot ?? null],
      );
      return rows.map((row) => ({
        rig: String(row.rig),
        board: String(row.board),
        boot: Number(row.boot),
        seq: Number(row.seq),
        payload: new Uint8Array(row.payload as Buffer),
        received_ms: Number(row.received_ms),
      }));
    });
  }

  dropPending(board: string, boot: number, seqs: readonly number[]): Promise<void> {
    return this.queue.run(async () => {
      if (seqs.length === 0) return;
      await this.opened().query(`DELETE FROM pending_frames WHERE board = $1 AND boot = $2 AND seq = ANY($3::bigint[])`, [board, boot, [...seqs]]);
    });
  }

  boards(): Promise<BoardRecord[]> {
    return this.read(async (pool) => {
      const { rows } = await pool.query(
        `SELECT b.board, b.rig, b.boot, h.profile, h.fw, h.t_us, h.channels FROM boards b JOIN births h ON h.board = b.board AND h.boot = b.boot ORDER BY b.board`,
      );
      return rows.map((row) => ({
        board: String(row.board),
        rig: String(row.rig),
        boot: Number(row.boot),
        profile: String(row.profile),
        fw: row.fw as Birth["fw"],
        birth_t_us: Number(row.t_us),
        channels: row.channels as BirthChannel[],
      }));
    });
  }

  channels(board: string): Promise<BirthChannel[]> {
    return this.read(async (pool) => {
      const { rows } = await pool.query(`SELECT h.channels FROM boards b JOIN births h ON h.board = b.board AND h.boot = b.boot WHERE b.board = $1`, [board]);
      return rows.length === 0 ? [] : (rows[0].channels as BirthChannel[]);
    });
  }

  samples(query: SampleQuery): Promise<StoredSample[]> {
    return this.read(async (pool) => {
      const { rows } = await pool.query(
        `SELECT t_us, raw, value FROM samples WHERE board = $1 AND channel = $2 AND t_us >= $3 AND t_us < $4 ORDER BY t_us, boot, seq, k LIMIT $5`,
        [query.board, query.channel, query.from_us ?? 0, query.to_us ?? Number.MAX_SAFE_INTEGER, query.limit ?? DEFAULT_SAMPLE_LIMIT],
      );
      return rows.map(toStoredSample);
    });
  }

  latest(board: string, channel: string): Promise<StoredSample | undefined> {
    return this.read(async (pool) => {
      const { rows } = await pool.query(
        `SELECT t_us, raw, value FROM samples WHERE board = $1 AND channel = $2 ORDER BY t_us DESC, boot DESC, seq DESC, k DESC LIMIT 1`,
        [board, channel],
      );
      return rows.length === 0 ? undefined : toStoredSample(rows[0]);
    });
  }

  writeAlarm(rig: string, board: string, alarm: Alarm, received_ms: number): Promise<void> {
    return this.queue.run(async () => {
      await this.opened().query(INSERT_ALARM, [board, alarm.b, alarm.n, rig, alarm.channel, alarm.rule, alarm.state, alarm.t, alarm.value, alarm.threshold, Math.round(received_ms)]);
    });
  }

  acknowledgeAlarm(board: string, boot: number, n: number, user: string, at_ms: number): Promise<boolean> {
    return this.queue.run(async () => {
      const { rowCount } = await this.opened().query(`UPDATE alarms SET acknowledged_by = $1, acknowledged_ms = $2 WHERE board = $3 AND boot = $4 AND n = $5`, [
        user,
        Math.round(at_ms),
        board,
        boot,
        n,
      ]);
      return (rowCount ?? 0) > 0;
    });
  }

  alarms(query: AlarmQuery = {}): Promise<AlarmRecord[]> {
    return this.read(async (pool) => {
      const { rows } = await pool.query(
        `SELECT * FROM alarms WHERE ($1::text IS NULL OR board = $1) AND t_us >= $2 AND t_us < $3 ORDER BY t_us DESC, board, boot DESC, n DESC LIMIT $4`,
        [query.board ?? null, query.from_us ?? 0, query.to_us ?? Number.MAX_SAFE_INTEGER, query.limit ?? DEFAULT_ALARM_LIMIT],
      );
      return rows.map(toAlarmRecord);
    });
  }

  history(query: HistoryQuery): Promise<History> {
    return this.read(async (pool) => {
      checkHistoryQuery(query);
      const width_us = bucketWidth_us(query);
      const { rows } = await pool.query(
        `SELECT (t_us - $3) / $5 AS bucket, min(value) AS min, max(value) AS max, count(*) AS count FROM samples
         WHERE board = $1 AND channel = $2 AND t_us >= $3 AND t_us < $4 GROUP BY bucket ORDER BY bucket`,
        [query.board, query.channel, query.from_us, query.to_us, width_us],
      );
      return {
        t_us: rows.map((r) => query.from_us + Number(r.bucket) * width_us),
        min: rows.map((r) => Number(r.min)),
        max: rows.map((r) => Number(r.max)),
        count: rows.map((r) => Number(r.count)),
      };
    });
  }

  exportRows(query: ExportQuery): Promise<ExportTable> {
    return exportTable(this, query);
  }

  /** Reads commit buffered rows first so they see every earlier write. */
  private read<T>(query: (pool: Pool) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      await this.commitPending();
      return query(this.opened());
    });
  }

  /**
   * Commits the buffered rows in one transaction. On failure they are dropped: the bridge has not
   * acknowledged their messages, so the broker redelivers them.
   */
  private async commitPending(): Promise<void> {
    const rows = this.pending;
    if (rows.length === 0) return;
    this.pending = new PendingRows();
    await this.transaction(this.opened(), async (client) => {
      for (let start = 0; start < rows.length; start += this.rowsPerStatement) {
        await client.query(INSERT_SAMPLES, rows.slice(start, start + this.rowsPerStatement));
      }
    });
  }

  private async transaction(pool: Pool, work: (client: PoolClient) => Promise<void>): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await work(client);
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Uses TimescaleDB where the server has it; plain tables work the same, only slower to query at scale. */
  private async tryTimescale(pool: Pool): Promise<boolean> {
    const { rows } = await pool.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'`);
    if (rows.length === 0) return false;
    await this.transaction(pool, async (client) => {
      for (const sql of TIMESCALE_SETUP) await client.query(sql);
    });
    return true;
  }

  private opened(): Pool {
    if (this.pool === undefined) throw new Error(`PostgreSQL store ${redacted(this.url)} is not open (call open() first)`);
    return this.pool;
  }
}

function toStoredSample(row: { t_us: string; raw: number; value: number }): StoredSample {
  return { t_us: Number(row.t_us), raw: Number(row.raw), value: Number(row.value) };
}

/** The URL without its password, for messages and logs. */
export function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}

/** pg returns JSONB columns parsed. */
const asParsed = (value: unknown): unknown => value;
