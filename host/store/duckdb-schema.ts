/**
 * Tables of the DuckDB store. Duplicates are kept out per frame, not per sample: `frames` is keyed
 * by (board, boot, seq), `samples` has no key at all (a per-sample ART index cost more than
 * everything else together and grew memory with the table). A batch of frames is committed in one
 * transaction: its keys go into `frames` where not there yet, and the samples of the frames that
 * went in are appended straight into `samples` (COMMIT_BATCH, host/store/duckdb-batch.ts). Board
 * and channel names live once in `streams`; a sample row carries the stream's small integer id.
 */
export const CREATE_TABLES = [
  `CREATE TABLE IF NOT EXISTS births (
    board VARCHAR NOT NULL,
    boot BIGINT NOT NULL,
    rig VARCHAR NOT NULL,
    t_us BIGINT NOT NULL,
    profile VARCHAR NOT NULL,
    fw JSON NOT NULL,
    clock JSON NOT NULL,
    tick_us BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    channels JSON NOT NULL,
    PRIMARY KEY (board, boot))`,
  `CREATE TABLE IF NOT EXISTS boards (
    board VARCHAR PRIMARY KEY,
    rig VARCHAR NOT NULL,
    boot BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS streams (
    stream INTEGER PRIMARY KEY,
    board VARCHAR NOT NULL,
    channel VARCHAR NOT NULL,
    UNIQUE (board, channel))`,
  `CREATE TABLE IF NOT EXISTS frames (
    board VARCHAR NOT NULL,
    boot BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (board, boot, seq))`,
  `CREATE TABLE IF NOT EXISTS samples (
    stream INTEGER NOT NULL,
    t_us BIGINT NOT NULL,
    raw DOUBLE NOT NULL,
    value DOUBLE NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS alarms (
    board VARCHAR NOT NULL,
    boot BIGINT NOT NULL,
    n BIGINT NOT NULL,
    rig VARCHAR NOT NULL,
    channel VARCHAR NOT NULL,
    rule VARCHAR NOT NULL,
    state VARCHAR NOT NULL,
    t_us BIGINT NOT NULL,
    value DOUBLE NOT NULL,
    threshold DOUBLE NOT NULL,
    received_ms BIGINT NOT NULL,
    acknowledged_by VARCHAR,
    acknowledged_ms BIGINT,
    PRIMARY KEY (board, boot, n))`,
  // Data frames of a boot with no known birth, as received (host/bridge/pending-frames.ts).
  `CREATE TABLE IF NOT EXISTS pending_frames (
    board VARCHAR NOT NULL,
    boot BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    rig VARCHAR NOT NULL,
    payload BLOB NOT NULL,
    received_ms BIGINT NOT NULL,
    PRIMARY KEY (board, boot, seq))`,
];

/** The batch's frame keys; temporary, so a crash leaves nothing in it to clean up. */
export const CREATE_BATCH_TABLE = `CREATE TEMP TABLE IF NOT EXISTS frames_batch (
    board VARCHAR NOT NULL,
    boot BIGINT NOT NULL,
    seq BIGINT NOT NULL)`;

/**
 * Statements of one batch's transaction. The insert into `frames` returns the frames that were
 * new (the key's index decides, whatever the size of `frames`); only their samples are appended.
 */
export const COMMIT_BATCH = {
  insertStream: "INSERT INTO streams VALUES ($stream, $board, $channel)",
  insertFrames: "INSERT OR IGNORE INTO frames SELECT board, boot, seq FROM frames_batch RETURNING board, boot, seq",
  clearKeys: "DELETE FROM frames_batch",
};

/**
 * Databases written before batches were appended straight into `samples` may hold a crashed batch
 * in `*_incoming`; it merges once at open (only frames not yet stored), then the tables go.
 */
export const LEFTOVER_INCOMING_CHECK = `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'samples_incoming' AND table_schema = 'main'`;

export const MERGE_LEFTOVER_INCOMING = [
  "BEGIN TRANSACTION",
  `CREATE OR REPLACE TEMP TABLE merging AS
     SELECT i.frame, i.board, i.boot, i.seq FROM frames_incoming i
     ANTI JOIN frames f ON f.board = i.board AND f.boot = i.boot AND f.seq = i.seq
     QUALIFY row_number() OVER (PARTITION BY i.board, i.boot, i.seq ORDER BY i.frame) = 1`,
  "INSERT INTO frames SELECT board, boot, seq FROM merging",
  "INSERT INTO samples SELECT s.stream, s.t_us, s.raw, s.value FROM samples_incoming s SEMI JOIN merging m ON m.frame = s.frame",
  "DROP TABLE merging",
  "DROP TABLE frames_incoming",
  "DROP TABLE samples_incoming",
  "COMMIT",
];

/** A database written before frames and streams existed has `board` in `samples`. */
export const OLD_LAYOUT_CHECK = `SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'samples' AND column_name = 'board'`;

/** Moves an old database's samples to the per-frame layout, once. */
export const MIGRATE_OLD_LAYOUT = [
  "BEGIN TRANSACTION",
  "ALTER TABLE samples RENAME TO samples_old",
  CREATE_TABLES[2]!,
  CREATE_TABLES[3]!,
  CREATE_TABLES[4]!,
  `INSERT INTO streams SELECT (row_number() OVER (ORDER BY board, channel))::INTEGER, board, channel FROM (SELECT DISTINCT board, channel FROM samples_old)`,
  "INSERT INTO frames SELECT DISTINCT board, boot, seq FROM samples_old",
  "INSERT INTO samples SELECT s.stream, o.t_us, o.raw, o.value FROM samples_old o JOIN streams s ON s.board = o.board AND s.channel = o.channel ORDER BY o.t_us",
  "DROP TABLE samples_old",
  "DROP TABLE IF EXISTS samples_incoming",
  "DROP TABLE IF EXISTS frames_incoming",
  "COMMIT",
];
