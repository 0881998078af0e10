import { createHash } from "node:crypto";
import { parseFaultSchedule, type FaultEvent, type FaultSchedule } from "../../sim/faults.ts";

/**
 * The soak's faults, drawn at random from a seed: the same seed, boards and duration always give
 * the same schedule. Faults fall between a warm-up after the start and a quiet tail before the end,
 * which they never reach, so whatever the boards held back has been delivered when the ledger is
 * drawn up. Of each kind there is at least one (per board for board faults), however short the run.
 */

export interface SoakScheduleOptions {
  seed: number;
  boards: number;
  duration_s: number;
  /** Multiplies every rate; a short run takes more faults per day to see each kind several times. */
  intensity?: number;
}

const DAY_s = 86_400;
/** The boards connect and send their births before the first fault. */
const WARMUP_s = 600;
/** No fault lasts into the last hour (or tenth of a short run). */
const TAIL_s = 3600;

interface Kind {
  perDay: number;
  /** Log-uniform range of the duration (down time, outage, jump size), s. */
  min_s: number;
  max_s: number;
  event(at_s: number, size_s: number, random: () => number, board?: number): FaultEvent;
}

/** Faults on one board: a power loss, a step of its clock, a partition between it and the broker. */
const BOARD_KINDS: Record<"brownout" | "clock_jump" | "partition", Kind> = {
  brownout: { perDay: 4, min_s: 1, max_s: 120, event: (at_s, off_s, _r, board) => ({ at_s, board, kind: "brownout", off_s }) },
  // Steps both ways, from a millisecond (NTP slew) to a quarter of an hour (an RTC set by hand).
  clock_jump: { perDay: 3, min_s: 0.001, max_s: 900, event: (at_s, step_s, r, board) => ({ at_s, board, kind: "clock_jump", step_s: r() < 0.5 ? -step_s : step_s }) },
  partition: { perDay: 3, min_s: 30, max_s: 3 * 3600, event: (at_s, duration_s, _r, board) => ({ at_s, board, kind: "broker_outage", duration_s }) },
};

/** Faults of the host: the broker restarts, the bridge dies (SIGKILL) and is started again. */
const HOST_KINDS: Record<"broker_restart" | "bridge_kill", Kind> = {
  broker_restart: { perDay: 3, min_s: 5, max_s: 600, event: (at_s, duration_s) => ({ at_s, kind: "broker_restart", duration_s }) },
  bridge_kill: { perDay: 6, min_s: 1, max_s: 1800, event: (at_s, duration_s) => ({ at_s, kind: "bridge_kill", duration_s }) },
};

/** Uniform numbers in [0, 1) from (seed, n): a hash, so the draw depends on nothing but the seed. */
export function seededUniform(seed: number): () => number {
  let n = 0;
  return () => createHash("sha256").update(`${seed}:${n++}`).digest().readUInt32BE(0) / 4294967296;
}

export function soakSchedule(options: SoakScheduleOptions): FaultSchedule {
  const { seed, boards, duration_s } = options;
  const tail_s = Math.min(TAIL_s, duration_s / 10);
  const window_s = duration_s - WARMUP_s - tail_s;
  if (!(window_s > 0)) throw new RangeError(`a soak of ${duration_s} s leaves no time for faults; give it more than ${WARMUP_s + TAIL_s} s`);
  const random = seededUniform(seed);
  const intensity = options.intensity ?? 1;
  const events: FaultEvent[] = [];

  // Faults of one kind on one target never overlap: the second would end the first one early.
  const place = (kind: Kind, board?: number) => {
    const count = Math.max(1, Math.round((kind.perDay * intensity * duration_s) / DAY_s));
    const draws: { at_s: number; size_s: number }[] = [];
    for (let i = 0; i < count; i++) {
      const at_s = WARMUP_s + random() * window_s;
      const size_s = kind.min_s * (kind.max_s / kind.min_s) ** random();
      draws.push({ at_s: round_ms(at_s), size_s: round_ms(Math.min(size_s, WARMUP_s + window_s - at_s)) });
    }
    draws.sort((a, b) => a.at_s - b.at_s);
    let free_s = 0;
    for (const d of draws) {
      if (d.at_s < free_s || !(d.size_s > 0)) continue;
      events.push(kind.event(d.at_s, d.size_s, random, board));
      free_s = d.at_s + d.size_s;
    }
  };
  for (let b = 0; b < boards; b++) for (const kind of Object.values(BOARD_KINDS)) place(kind, b);
  for (const kind of Object.values(HOST_KINDS)) place(kind);
  events.sort((a, b) => a.at_s - b.at_s);
  return parseFaultSchedule(events, `soak schedule of seed ${seed}`);
}

function round_ms(s: number): number {
  return Math.round(s * 1000) / 1000;
}

/** One line per fault: when (day hh:mm:ss.sss after the start), where, what. */
export function describeSchedule(schedule: FaultSchedule): string[] {
  return schedule.map((e) => {
    const where = "board" in e && e.board !== undefined ? `board ${e.board}` : "host";
    const what =
      e.kind === "brownout" ? `off ${e.off_s} s`
      : e.kind === "clock_jump" ? `step ${e.step_s > 0 ? "+" : ""}${e.step_s} s`
      : "duration_s" in e && e.duration_s !== undefined ? `for ${e.duration_s} s`
      : "";
    return `${clockTime(e.at_s)}  ${where.padEnd(8)} ${(e.kind === "broker_outage" ? "partition" : e.kind).padEnd(15)} ${what}`;
  });
}

/** "d2 03:04:05.678": days and time of day after the start. */
export function clockTime(t_s: number): string {
  const day = Math.floor(t_s / DAY_s);
  const rest = t_s - day * DAY_s;
  const h = Math.floor(rest / 3600);
  const m = Math.floor((rest % 3600) / 60);
  const s = rest % 60;
  return `d${day} ${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${s.toFixed(3).padStart(6, "0")}`;
}
