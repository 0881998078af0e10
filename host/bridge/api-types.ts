/**
 * What the bridge and the store offer the dashboard: board status, alarms, commands, history and
 * exports. Plain data only (JSON-serialisable), so the web server can pass them through unchanged.
 */
import type { Ack } from "../../protocol/schema/ack.ts";
import type { Alarm } from "../../protocol/schema/alarm.ts";
import type { Birth } from "../../protocol/schema/birth.ts";
import type { Command } from "../../protocol/schema/command.ts";
import type { Health } from "../../protocol/schema/health.ts";

export type { Ack, Command };

/**
 * A command as the caller writes it (`Omit<Command, "id">` per op): the bridge adds a fresh id, and
 * the protocol version when it is left out.
 */
export type CommandRequest = Command extends infer C ? (C extends Command ? Omit<C, "id" | "v"> & { v?: 1 } : never) : never;

/**
 * How board time maps to host time for the board's current boot: host_us ≈ board_us − offset_us,
 * fitted by least squares over recent (board time, host receive time) pairs. Receive times carry
 * network and queueing delay, so offset_us includes the typical latency (a few ms on a LAN).
 */
export interface ClockFit {
  /** Board time minus host receive time at the newest point, µs. */
  offset_us: number;
  /** How much faster the board clock runs than the host's, parts per million. */
  drift_ppm: number;
  /** Root-mean-square residual of the fit, µs: the jitter of the arrival delay. */
  rms_us: number;
  /** Points in the fit window. */
  points: number;
  /** True once a point fell further from the fit than the jump threshold (the board clock stepped). */
  jumped: boolean;
  /** Host time of the latest jump, ms since the Unix epoch. */
  lastJump_ms?: number;
  /** The latest jump's size, µs (positive: the board clock stepped forward). */
  lastJumpSize_us?: number;
  /** The board's own statement from its birth: where its time comes from. */
  source: Birth["clock"]["source"];
}

/** The latest `health` message of a board, with when the host received it. */
export interface BoardHealth {
  received_ms: number;
  /** Board time of the message, µs. */
  t_us: number;
  up_us: number;
  mem: Health["mem"];
  buf: Health["buf"];
  err: string[];
  link: Health["link"];
}

/** Frame counts of the board's current boot, from the bridge's sequence tracker. */
export interface FrameCounts {
  received: number;
  /** Skipped in the sequence and not (yet) arrived. */
  lost: number;
  duplicated: number;
  late: number;
  /** Resend or rebirth requests sent for gaps that outlived the reorder window. */
  recoveryRequests: number;
  /**
   * Frames the board reported lost in `gap` messages, over every boot of it the bridge has seen: a
   * reset reports the frames it took from RAM from the next boot, under the old boot's id.
   */
  reported: number;
}

/** A raised alarm not yet cleared. `key` is `<channel>/<rule>`. */
export interface ActiveAlarm {
  key: string;
  board: string;
  channel: string;
  rule: string;
  boot: number;
  n: number;
  /** Board time of the sample that raised it, µs. */
  t_us: number;
  value: number;
  threshold: number;
  acknowledged_by?: string;
  acknowledged_ms?: number;
}

export interface BoardStatus {
  rig: string;
  board: string;
  online: boolean;
  boot: number;
  /** Boot ids seen since the bridge started, oldest first (the current one last). */
  boots: number[];
  /** Host time of the newest message from the board, ms since the Unix epoch; absent if none since start. */
  lastSeen_ms?: number;
  /** Board time of the newest stored sample, µs. */
  lastSample_us?: number;
  firmware: Birth["fw"];
  profile: string;
  health?: BoardHealth;
  clock?: ClockFit;
  frames: FrameCounts;
  alarms: ActiveAlarm[];
}

/** One alarm edge as stored; raised records gain who acknowledged them. */
export interface AlarmRecord {
  rig: string;
  board: string;
  boot: number;
  n: number;
  key: string;
  channel: string;
  rule: string;
  state: Alarm["state"];
  t_us: number;
  value: number;
  threshold: number;
  received_ms: number;
  acknowledged_by?: string;
  acknowledged_ms?: number;
}

export interface AlarmQuery {
  board?: string;
  /** Board time bounds, µs: from inclusive, to exclusive. */
  from_us?: number;
  to_us?: number;
  /** Newest first, at most this many (default 1000). */
  limit?: number;
}

export interface HistoryQuery {
  board: string;
  channel: string;
  from_us: number;
  to_us: number;
  /** Equal time buckets over [from_us, to_us); empty buckets are left out of the answer. */
  buckets: number;
}

/** Min/max per time bucket, for plotting long ranges; t_us is each bucket's start. */
export interface History {
  t_us: number[];
  min: number[];
  max: number[];
  count: number[];
}

export interface ExportQuery {
  board: string;
  from_us?: number;
  to_us?: number;
}

/**
 * A board's channels on one time base (the sample times of its fastest channel), with BDF-style
 * column names; a channel without a sample within one of its own periods has null there.
 */
export interface ExportTable {
  /** `test_time_second` first, then `unix_time_second`, then one column per channel. */
  columns: string[];
  units: string[];
  /** Row-major values; null where a channel has no data (gaps are never filled). */
  rows: (number | null)[][];
  metadata: ExportMetadata;
}

export interface ExportMetadata {
  rig: string;
  board: string;
  boot: number;
  firmware: Birth["fw"];
  profile: string;
  from_us: number;
  to_us: number;
  /** Per column: the board channel, its quantity, unit, sensor, rate and calibration. */
  channels: { column: string; channel: string; quantity: string; unit: string; sensor: string; rate_hz: number; cal: unknown; cfg?: unknown }[];
  /** SHA-256 of the birth's channel list (ids, sensors, rates, calibrations, cfg hashes), hex. */
  configuration_hash: string;
  exported_ms: number;
}

/** Events the bridge sends to listeners beyond births, deaths and samples. */
export interface LiveHealth {
  type: "health";
  rig: string;
  board: string;
  health: BoardHealth;
}

export interface LiveAlarm {
  type: "alarm";
  rig: string;
  board: string;
  alarm: AlarmRecord;
}

export interface LiveAck {
  type: "ack";
  rig: string;
  board: string;
  ack: Ack;
}

/** Something in a board's status changed (online, clock, counts, alarms, acknowledgements). */
export interface LiveRegistry {
  type: "registry";
  board: string;
  status: BoardStatus;
}

/** The calls the dashboard makes on a running bridge, beyond Bridge's stats and listeners. */
export interface BridgeControl {
  registry(): BoardStatus[];
  /** Publishes a command and resolves with the board's ack; rejects after timeout_ms naming board and op. */
  sendCommand(rig: string, board: string, command: CommandRequest, timeout_ms?: number): Promise<Ack>;
  /** Records that `user` saw the alarm `alarmKey` (`<channel>/<rule>`) of `board`. */
  acknowledgeAlarm(board: string, alarmKey: string, user: string): Promise<AlarmRecord>;
}

/** The store's reads for the dashboard. */
export interface StoreQueries {
  alarms(query?: AlarmQuery): Promise<AlarmRecord[]>;
  history(query: HistoryQuery): Promise<History>;
  exportRows(query: ExportQuery): Promise<ExportTable>;
}
