/**
 * Tables of the DuckDB store. Samples are appended to `samples_incoming` (no key, so appends stay
 * fast) and merged into `samples` with INSERT OR IGNORE: the key (board, boot, seq, channel, k)
 * makes a redelivered frame a no-op. Rows left in `samples_incoming` by a crash merge at the next open.
 */
const sampleColumns = `
  board VARCHAR NOT NULL,
  boot BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  channel VARCHAR NOT NULL,
  k INTEGER NOT NULL,
  t_us BIGINT NOT NULL,
  raw DOUBLE NOT NULL,
  value DOUBLE NOT NULL`;

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
  `CREATE TABLE IF NOT EXISTS samples (${sampleColumns},
    PRIMARY KEY (board, boot, seq, channel, k))`,
  `CREATE TABLE IF NOT EXISTS samples_incoming (${sampleColumns})`,
];

export const MERGE_INCOMING = [
  "INSERT OR IGNORE INTO samples SELECT * FROM samples_incoming",
  "DELETE FROM samples_incoming",
];
