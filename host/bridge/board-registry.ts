import type { Alarm } from "../../protocol/schema/alarm.ts";
import type { Birth } from "../../protocol/schema/birth.ts";
import type { Health } from "../../protocol/schema/health.ts";
import { alarmKey } from "../store/store.ts";
import type { ActiveAlarm, BoardHealth, BoardStatus, ClockFit } from "./api-types.ts";
import { ClockFitter, type ClockFitOptions } from "./clock-fit.ts";
import type { SequenceTracker } from "./sequence-tracker.ts";

/** What the bridge knows about a board right now. */
export interface BoardState {
  rig: string;
  board: string;
  birth: Birth;
  /** False after the board's death message for its current boot. */
  online: boolean;
  /** Time of the newest sample received, µs since the Unix epoch. */
  lastSample_us?: number;
  /** Host time of the newest message from the board, ms. */
  lastSeen_ms?: number;
  boots: number[];
  health?: BoardHealth;
  clock: ClockFitter;
  /** Raised alarms by key, and the newest alarm message number applied per key and boot. */
  alarms: Map<string, ActiveAlarm>;
  alarmNumbers: Map<string, { boot: number; n: number }>;
  recoveryRequests: number;
}

/** Boot ids remembered per board. */
const MAX_BOOTS = 16;

/**
 * Per board: the latest birth (board ids are unique across the rigs one host serves), online
 * state, health, the clock fit of the current boot, and the alarms raised and not cleared.
 */
export class BoardRegistry {
  private readonly boards = new Map<string, BoardState>();
  /** Births of recent boots per board, the current one included: frames of an earlier boot are read with their own. */
  private readonly births = new Map<string, Map<number, Birth>>();
  private readonly sequences: SequenceTracker | undefined;
  private readonly clockOptions: ClockFitOptions;

  constructor(sequences?: SequenceTracker, clockOptions: ClockFitOptions = {}) {
    this.sequences = sequences;
    this.clockOptions = clockOptions;
  }

  /** A birth; a new boot restarts the clock fit and drops the alarms of the old boot (the board re-raises what still holds). */
  setBirth(rig: string, board: string, birth: Birth, received_ms?: number): BoardState {
    const previous = this.boards.get(board);
    const sameBoot = previous !== undefined && previous.birth.boot === birth.boot;
    const state: BoardState = {
      rig,
      board,
      birth,
      online: true,
      boots: previous === undefined ? [birth.boot] : sameBoot ? previous.boots : [...previous.boots, birth.boot].slice(-MAX_BOOTS),
      clock: sameBoot ? previous.clock : new ClockFitter(this.clockOptions),
      alarms: sameBoot ? previous.alarms : new Map(),
      alarmNumbers: sameBoot ? previous.alarmNumbers : new Map(),
      recoveryRequests: previous?.recoveryRequests ?? 0,
    };
    if (sameBoot && previous.lastSample_us !== undefined) state.lastSample_us = previous.lastSample_us;
    if (previous?.health !== undefined && sameBoot) state.health = previous.health;
    if (received_ms !== undefined) {
      state.lastSeen_ms = received_ms;
      state.clock.add(birth.t, received_ms);
    } else if (previous?.lastSeen_ms !== undefined) state.lastSeen_ms = previous.lastSeen_ms;
    this.boards.set(board, state);
    this.rememberBirth(board, birth);
    return state;
  }

  /** The birth of one boot of the board, if it is the current one or a recent one this registry saw. */
  birthOf(board: string, boot: number): Birth | undefined {
    return this.births.get(board)?.get(boot);
  }

  /** Keeps the birth of an earlier boot (read back from storage) without making it the current one. */
  rememberBirth(board: string, birth: Birth): void {
    let boots = this.births.get(board);
    if (boots === undefined) this.births.set(board, (boots = new Map()));
    boots.delete(birth.boot);
    boots.set(birth.boot, birth);
    if (boots.size > MAX_BOOTS) boots.delete(boots.keys().next().value!);
  }

  /**
   * A birth read back from storage at startup: enough to decode frames that arrive before the
   * retained birth does; the board counts as offline until it is heard from.
   */
  restore(rig: string, board: string, birth: Birth): void {
    if (!this.boards.has(board)) {
      this.boards.set(board, { rig, board, birth, online: false, boots: [birth.boot], clock: new ClockFitter(this.clockOptions), alarms: new Map(), alarmNumbers: new Map(), recoveryRequests: 0 });
      this.rememberBirth(board, birth);
    }
  }

  get(board: string): BoardState | undefined {
    return this.boards.get(board);
  }

  /** Marks the board offline if the death is for its current boot; a retained death from an older boot is stale. */
  markDead(board: string, boot: number): boolean {
    const state = this.boards.get(board);
    if (state === undefined || state.birth.boot !== boot) return false;
    state.online = false;
    return true;
  }

  /** Any message from the board: it is alive now. */
  seen(board: string, received_ms: number): void {
    const state = this.boards.get(board);
    if (state !== undefined) state.lastSeen_ms = received_ms;
  }

  sampleSeen(board: string, t_us: number): void {
    const state = this.boards.get(board);
    if (state !== undefined && (state.lastSample_us === undefined || t_us > state.lastSample_us)) state.lastSample_us = t_us;
  }

  /**
   * A board time observed on arrival (birth, health, a live frame's newest sample) for the clock
   * fit of the current boot; returns true when it revealed a clock jump.
   */
  clockPoint(board: string, boot: number, board_us: number, received_ms: number): boolean {
    const state = this.boards.get(board);
    if (state === undefined || state.birth.boot !== boot) return false;
    return state.clock.add(board_us, received_ms);
  }

  /** The latest health of the current boot; returns the stored form, or undefined for another boot's. */
  setHealth(board: string, health: Health, received_ms: number): BoardHealth | undefined {
    const state = this.boards.get(board);
    if (state === undefined || state.birth.boot !== health.b) return undefined;
    state.online = true;
    state.health = { received_ms, t_us: health.t, up_us: health.up, mem: health.mem, buf: health.buf, err: [...health.err], link: health.link };
    return state.health;
  }

  /**
   * Applies an alarm edge of the current boot unless a newer edge of the same rule was applied
   * already (redelivery reorders). Returns whether the active alarms changed.
   */
  applyAlarm(board: string, alarm: Alarm): boolean {
    const state = this.boards.get(board);
    if (state === undefined || state.birth.boot !== alarm.b) return false;
    const key = alarmKey(alarm.channel, alarm.rule);
    const last = state.alarmNumbers.get(key);
    if (last !== undefined && last.boot === alarm.b && last.n >= alarm.n) return false;
    state.alarmNumbers.set(key, { boot: alarm.b, n: alarm.n });
    if (alarm.state === "cleared") return state.alarms.delete(key);
    state.alarms.set(key, { key, board, channel: alarm.channel, rule: alarm.rule, boot: alarm.b, n: alarm.n, t_us: alarm.t, value: alarm.value, threshold: alarm.threshold });
    return true;
  }

  recoveryRequested(board: string): void {
    const state = this.boards.get(board);
    if (state !== undefined) state.recoveryRequests++;
  }

  list(): BoardState[] {
    return [...this.boards.values()];
  }

  status(board: string): BoardStatus | undefined {
    const state = this.boards.get(board);
    return state === undefined ? undefined : this.describe(state);
  }

  statuses(): BoardStatus[] {
    return this.list().map((state) => this.describe(state));
  }

  private describe(state: BoardState): BoardStatus {
    const streams = this.sequences?.stats().filter((s) => s.board === state.board) ?? [];
    const stream = streams.find((s) => s.boot === state.birth.boot);
    const status: BoardStatus = {
      rig: state.rig,
      board: state.board,
      online: state.online,
      boot: state.birth.boot,
      boots: [...state.boots],
      firmware: state.birth.fw,
      profile: state.birth.profile,
      frames: {
        received: stream?.frames ?? 0,
        lost: stream?.missing ?? 0,
        duplicated: stream?.duplicates ?? 0,
        late: stream?.late ?? 0,
        recoveryRequests: state.recoveryRequests,
        reported: streams.reduce((sum, s) => sum + s.reported, 0),
      },
      alarms: [...state.alarms.values()].map((a) => ({ ...a })),
    };
    if (state.lastSeen_ms !== undefined) status.lastSeen_ms = state.lastSeen_ms;
    if (state.lastSample_us !== undefined) status.lastSample_us = state.lastSample_us;
    if (state.health !== undefined) status.health = state.health;
    const clock: ClockFit | undefined = state.clock.state(state.birth.clock.source);
    if (clock !== undefined) status.clock = clock;
    return status;
  }
}
