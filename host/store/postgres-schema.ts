/**
 * Tables of the PostgreSQL store, the same as DuckDB's. The samples key leads with (board,
 * channel, t_us) so one index serves both idempotency and time-range reads; t_us follows from
 * (board, boot, seq, channel, k), so the key still means "each sample of each frame once". With
 * TimescaleDB the table becomes a hypertable on t_us, which needs t_us in every unique key.
 */
export const CREATE_TABLES = [
  `CREATE TABLE IF NOT EXISTS births (
    board TEXT NOT NULL,
    boot BIGINT NOT NULL,
    rig TEXT NOT NULL,
    t_us BIGINT NOT NULL,
    profile TEXT NOT NULL,
    fw JSONB NOT NULL,
    clock JSONB NOT NULL,
    tick_us BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    channels JSONB NOT NULL,
    PRIMARY KEY (board, boot))`,
  `CREATE TABLE IF NOT EXISTS boards (
    board TEXT PRIMARY KEY,
    rig TEXT NOT NULL,
    boot BIGINT NOT NULL,
    birth_t_us BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS samples (
    board TEXT NOT NULL,
    boot BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    channel TEXT NOT NULL,
    k INTEGER NOT NULL,
    t_us BIGINT NOT NULL,
    raw DOUBLE PRECISION NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (board, channel, t_us, boot, seq, k))`,
  `CREATE TABLE IF NOT EXISTS alarms (
    board TEXT NOT NULL,
    boot BIGINT NOT NULL,
    n BIGINT NOT NULL,
    rig TEXT NOT NULL,
    channel TEXT NOT NULL,
    rule TEXT NOT NULL,
    state TEXT NOT NULL,
    t_us BIGINT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    threshold DOUBLE PRECISION NOT NULL,
    received_ms BIGINT NOT NULL,
    acknowledged_by TEXT,
    acknowledged_ms BIGINT,
    PRIMARY KEY (board, boot, n))`,
  "CREATE INDEX IF NOT EXISTS alarms_by_time ON alarms (t_us)",
  // Data frames of a boot with no known birth, as received (host/bridge/pending-frames.ts).
  `CREATE TABLE IF NOT EXISTS pending_frames (
    board TEXT NOT NULL,
    boot BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    rig TEXT NOT NULL,
    payload BYTEA NOT NULL,
    received_ms BIGINT NOT NULL,
    PRIMARY KEY (board, boot, seq))`,
];

/** An alarm edge redelivered, or seen by two bridges, is stored once. */
export const INSERT_ALARM = `INSERT INTO alarms (board, boot, n, rig, channel, rule, state, t_us, value, threshold, received_ms)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`;

/** One day per chunk: a lab's samples of a day fit in memory, old chunks compress. */
export const TIMESCALE_SETUP = [
  "CREATE EXTENSION IF NOT EXISTS timescaledb",
  "SELECT create_hypertable('samples', 't_us', chunk_time_interval => 86400000000, if_not_exists => TRUE, migrate_data => TRUE)",
];

/** Several bridges may write births: the board row follows the newest birth, whoever stores it. */
export const UPSERT_BOARD = `INSERT INTO boards (board, rig, boot, birth_t_us) VALUES ($1, $2, $3, $4)
  ON CONFLICT (board) DO UPDATE SET rig = EXCLUDED.rig, boot = EXCLUDED.boot, birth_t_us = EXCLUDED.birth_t_us
  WHERE boards.birth_t_us <= EXCLUDED.birth_t_us`;

export const INSERT_BIRTH = `INSERT INTO births (board, boot, rig, t_us, profile, fw, clock, tick_us, seq, channels)
  VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10::jsonb)
  ON CONFLICT (board, boot) DO UPDATE SET rig = EXCLUDED.rig, t_us = EXCLUDED.t_us, profile = EXCLUDED.profile, fw = EXCLUDED.fw,
    clock = EXCLUDED.clock, tick_us = EXCLUDED.tick_us, seq = EXCLUDED.seq, channels = EXCLUDED.channels`;

/** One statement per batch: columns travel as arrays, a redelivered frame's rows are skipped. */
export const INSERT_SAMPLES = `INSERT INTO samples (board, boot, seq, channel, k, t_us, raw, value)
  SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::integer[], $6::bigint[], $7::float8[], $8::float8[])
  ON CONFLICT DO NOTHING`;
