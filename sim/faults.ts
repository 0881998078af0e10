import Type, { type Static } from "typebox";
import { Compile } from "typebox/compile";
import type { ChannelConfig, RigConfig } from "../boards/rig-schema.ts";
import { PsdTwin, QuadrantTwin } from "./chips/photodiodes.ts";
import type { SimBoard } from "./runtime/board.ts";
import type { VirtualClock } from "./runtime/clock.ts";
import type { SimNetwork } from "./runtime/net.ts";
import type { SensorTwin } from "./sensor-wiring.ts";

/**
 * Faults on demand, at virtual times: a schedule (data, e.g. a JSON file given to `cellrig sim
 * --faults`) applied to a running rig. Times are seconds after the run's start; `board` is the
 * board's index (0-based), all boards when omitted; a fault with `duration_s` ends by itself.
 *
 * - `sensor`: the channel's twin shows `fault` (open, short, stuck, saturated; ABP2 also
 *   memory_error). A twin on a shared chip (ADS1115, INA226) faults for all its channels; on a
 *   detector `open` breaks the channel's own lead.
 * - `sum_loss`: part of the light of the channel's detector is lost (a bubble in the beam).
 * - `clock_drift`: the board's crystal runs `ppm` fast (negative: slow) from then on.
 * - `clock_jump`: the board's clock steps by `step_s`.
 * - `brownout`: the board resets and runs again `off_s` later (at least 1 s), flash kept.
 * - `broker_outage`: the board cannot reach the broker; open connections are reset.
 * - `link`: latency, segment loss (resent after TCP's timeout) and a capacity limit on the board's link.
 * - `broker_restart`: the broker stops (every connection drops) and starts again `duration_s` later.
 * - `bridge_kill`: the bridge dies without a chance to commit or acknowledge, and starts again
 *   `duration_s` later. Both act on the host (FaultTarget `host`), never on one board, so they
 *   take no `board`.
 *
 * Losses are drawn from each board's seeded generator (SimNetwork), so a schedule replays exactly.
 */

const Timing = {
  at_s: Type.Number({ minimum: 0 }),
  board: Type.Optional(Type.Integer({ minimum: 0 })),
};
const Duration = Type.Optional(Type.Number({ exclusiveMinimum: 0 }));

export const FaultEvent = Type.Union([
  Type.Object({
    ...Timing,
    kind: Type.Literal("sensor"),
    channel: Type.String(),
    fault: Type.Union([Type.Literal("open"), Type.Literal("short"), Type.Literal("stuck"), Type.Literal("saturated"), Type.Literal("memory_error")]),
    duration_s: Duration,
  }, { additionalProperties: false }),
  Type.Object({ ...Timing, kind: Type.Literal("sum_loss"), channel: Type.String(), fraction: Type.Number({ minimum: 0, maximum: 1 }), duration_s: Duration }, { additionalProperties: false }),
  Type.Object({ ...Timing, kind: Type.Literal("clock_drift"), ppm: Type.Number({ exclusiveMinimum: -1e5, exclusiveMaximum: 1e5 }) }, { additionalProperties: false }),
  Type.Object({ ...Timing, kind: Type.Literal("clock_jump"), step_s: Type.Number() }, { additionalProperties: false }),
  Type.Object({ ...Timing, kind: Type.Literal("brownout"), off_s: Type.Optional(Type.Number({ minimum: 0 })) }, { additionalProperties: false }),
  Type.Object({ ...Timing, kind: Type.Literal("broker_outage"), duration_s: Type.Number({ exclusiveMinimum: 0 }) }, { additionalProperties: false }),
  Type.Object({
    ...Timing,
    kind: Type.Literal("link"),
    latency_s: Type.Optional(Type.Number({ minimum: 0 })),
    loss: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1 })),
    bytes_per_s: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    duration_s: Duration,
  }, { additionalProperties: false }),
  Type.Object({ at_s: Timing.at_s, kind: Type.Literal("broker_restart"), duration_s: Type.Number({ exclusiveMinimum: 0 }) }, { additionalProperties: false }),
  Type.Object({ at_s: Timing.at_s, kind: Type.Literal("bridge_kill"), duration_s: Type.Number({ exclusiveMinimum: 0 }) }, { additionalProperties: false }),
]);
export type FaultEvent = Static<typeof FaultEvent>;
export const FaultSchedule = Type.Array(FaultEvent);
export type FaultSchedule = Static<typeof FaultSchedule>;

const checkSchedule = Compile(FaultSchedule);

type HostFault = Extract<FaultEvent, { kind: "broker_restart" | "bridge_kill" }>;

function isHostFault(event: FaultEvent): event is HostFault {
  return event.kind === "broker_restart" || event.kind === "bridge_kill";
}

/**
 * The host side of a run, for the faults that hit it. Each call starts the change and returns at
 * once; the host carries it out in its own time (a process takes wall time to die and start).
 */
export interface HostFaults {
  stopBroker(): void;
  startBroker(): void;
  /** Ends the bridge as SIGKILL would: nothing committed or acknowledged on the way out. */
  killBridge(): void;
  startBridge(): void;
}

/** What a fault needs of a running rig. */
export interface FaultTarget {
  boards: SimBoard[];
  networks: SimNetwork[];
  /** Virtual (Unix) time the schedule's times count from. */
  start_s: number;
  sensor(index: number, channel: string): SensorTwin;
  /** Needed by broker_restart and bridge_kill only. */
  host?: HostFaults;
}

/** A fault as it was applied, for the record beside the ground truth. */
export interface AppliedFault {
  /** Virtual (Unix) time it began or ended. */
  time_s: number;
  /** Absent for host faults. */
  board?: number;
  phase: "begin" | "end";
  event: FaultEvent;
}

/** Checks a schedule read from a file; throws listing every problem with its path. */
export function parseFaultSchedule(value: unknown, source = "fault schedule"): FaultSchedule {
  if (!checkSchedule.Check(value)) {
    const problems = [...checkSchedule.Errors(value)].map((e) => `${e.instancePath || "/"}: ${e.message}`);
    throw new Error(`${source} is invalid (a JSON array of faults, see sim/faults.ts):\n  ${problems.join("\n  ")}`);
  }
  return value;
}

function channelOf(config: RigConfig, id: string, at: string): ChannelConfig {
  const ch = config.channels.find((c) => c.id === id);
  if (ch === undefined) throw new Error(`${at}: the rig has no channel "${id}" (it has: ${config.channels.map((c) => c.id).join(", ")})`);
  return ch;
}

/** A detector's signal index for a channel (electrode or segment), so an open lead is that channel's. */
function signalIndex(ch: ChannelConfig): number {
  if (ch.sensor === "psd") return "AB".indexOf(ch.electrode);
  if (ch.sensor === "quadrant") return "ABCD".indexOf(ch.segment);
  return 0;
}

export class FaultInjector {
  readonly applied: AppliedFault[] = [];
  private readonly owner = {};

  /**
   * Schedules every fault on `clock`; `onApplied` hears each one as it begins and ends. Refuses a
   * schedule that names a missing board or channel, or a fault the channel's sensor cannot show.
   */
  constructor(
    private readonly clock: VirtualClock,
    private readonly target: FaultTarget,
    private readonly config: RigConfig,
    schedule: FaultSchedule,
    private readonly onApplied: (fault: AppliedFault) => void = () => {},
  ) {
    schedule.forEach((event, i) => this.check(event, `fault ${i} (${event.kind} at ${event.at_s} s)`));
    for (const event of schedule) {
      if (isHostFault(event)) {
        this.at(event.at_s, () => this.hostFault(event, "begin"));
        this.at(event.at_s + event.duration_s, () => this.hostFault(event, "end"));
        continue;
      }
      const boards = event.board === undefined ? target.boards.map((_, i) => i) : [event.board];
      for (const board of boards) {
        this.at(event.at_s, () => this.begin(board, event));
        const duration_s = "duration_s" in event ? event.duration_s : undefined;
        if (duration_s !== undefined) this.at(event.at_s + duration_s, () => this.end(board, event));
      }
    }
  }

  /** Drops every fault not yet applied. */
  cancel(): void {
    this.clock.clearOwner(this.owner);
  }

  private check(event: FaultEvent, at: string): void {
    if (isHostFault(event)) {
      if (this.target.host === undefined) throw new Error(`${at}: ${event.kind} acts on the broker and bridge, and this run was given no host to act on (runSimulation hostFaults)`);
      return;
    }
    if (event.board !== undefined && event.board >= this.target.boards.length) {
      throw new Error(`${at}: board ${event.board} does not exist; the rig has boards 0 to ${this.target.boards.length - 1}`);
    }
    if (event.kind !== "sensor" && event.kind !== "sum_loss") return;
    const ch = channelOf(this.config, event.channel, at);
    if (ch.sensor === "synthetic") throw new Error(`${at}: channel "${ch.id}" is synthetic (made on the board); it has no sensor to fault`);
    const detector = ch.sensor === "psd" || ch.sensor === "quadrant";
    if (event.kind === "sum_loss" && !detector) throw new Error(`${at}: sum_loss needs a detector channel (psd or quadrant); "${ch.id}" is ${ch.sensor}`);
    if (event.kind === "sensor" && detector && (event.fault === "short" || event.fault === "memory_error")) {
      throw new Error(`${at}: a detector front end shows open, stuck or saturated, not ${event.fault}`);
    }
    if (event.kind === "sensor" && event.fault === "memory_error" && ch.sensor !== "abp2") {
      throw new Error(`${at}: memory_error is an ABP2 fault; "${ch.id}" is ${ch.sensor}`);
    }
  }

  private at(offset_s: number, work: () => void): void {
    this.clock.setTimeout(this.owner, work, this.target.start_s + offset_s - this.clock.now_s());
  }

  private record(board: number | undefined, phase: AppliedFault["phase"], event: FaultEvent): void {
    const fault: AppliedFault = { time_s: this.clock.now_s(), ...(board === undefined ? {} : { board }), phase, event };
    this.applied.push(fault);
    this.onApplied(fault);
  }

  private hostFault(event: HostFault, phase: AppliedFault["phase"]): void {
    const host = this.target.host!;
    if (event.kind === "broker_restart") {
      if (phase === "begin") host.stopBroker();
      else host.startBroker();
    } else if (phase === "begin") {
      host.killBridge();
    } else {
      host.startBridge();
    }
    this.record(undefined, phase, event);
  }

  private begin(index: number, event: Exclude<FaultEvent, HostFault>): void {
    const board = this.target.boards[index]!;
    const network = this.target.networks[index]!;
    const now_s = this.clock.now_s();
    switch (event.kind) {
      case "sensor":
        this.setSensorFault(index, event.channel, event.fault, now_s);
        break;
      case "sum_loss":
        this.detector(index, event.channel).setSumLoss(event.fraction);
        break;
      case "clock_drift":
        board.time.setDrift(event.ppm);
        break;
      case "clock_jump":
        board.time.step(event.step_s);
        break;
      case "brownout":
        if (board.running()) board.brownOut(event.off_s);
        break;
      case "broker_outage":
        network.setReachable(false);
        break;
      case "link":
        network.setLink({
          ...(event.latency_s !== undefined ? { latency_s: event.latency_s } : {}),
          ...(event.loss !== undefined ? { loss: event.loss } : {}),
          ...(event.bytes_per_s !== undefined ? { bytesPerSecond: event.bytes_per_s } : {}),
        });
        break;
    }
    this.record(index, "begin", event);
  }

  private end(index: number, event: Exclude<FaultEvent, HostFault>): void {
    const now_s = this.clock.now_s();
    if (event.kind === "sensor") this.setSensorFault(index, event.channel, "none", now_s);
    else if (event.kind === "sum_loss") this.detector(index, event.channel).setSumLoss(0);
    else if (event.kind === "broker_outage") this.target.networks[index]!.setReachable(true);
    else if (event.kind === "link") this.target.networks[index]!.setLink(undefined);
    this.record(index, "end", event);
  }

  private detector(index: number, channel: string): PsdTwin | QuadrantTwin {
    const twin = this.target.sensor(index, channel);
    if (!(twin instanceof PsdTwin || twin instanceof QuadrantTwin)) throw new Error(`channel "${channel}" has no detector twin`);
    return twin;
  }

  private setSensorFault(index: number, channel: string, fault: FaultEvent & { kind: "sensor" } extends { fault: infer F } ? F | "none" : never, now_s: number): void {
    const twin = this.target.sensor(index, channel);
    if (twin instanceof PsdTwin || twin instanceof QuadrantTwin) {
      const ch = channelOf(this.config, channel, `fault on channel "${channel}"`);
      twin.setFault(fault === "short" || fault === "memory_error" ? "none" : fault, now_s, signalIndex(ch));
    } else if ("setFault" in twin) {
      (twin.setFault as (f: string, t: number) => void).call(twin, fault, now_s);
    }
  }
}
