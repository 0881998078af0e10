import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { loadBoardProfile } from "../boards/profile.ts";
import { validateRigConfig } from "../boards/rig-config.ts";
import type { RigConfig } from "../boards/rig-schema.ts";
import { buildFirmware } from "../scripts/build/bundle.ts";
import { FaultInjector, type AppliedFault, type FaultSchedule, type HostFaults } from "./faults.ts";
import type { PresetOverrides } from "./physics/index.ts";
import { startPresetRig, type PresetRig } from "./preset-rig.ts";
import type { StorageFiles } from "./provision.ts";
import type { BoardError } from "./runtime/board.ts";
import { VirtualClock } from "./runtime/clock.ts";
import type { NetRoute } from "./runtime/net.ts";

/**
 * One simulation run from start to end: the preset's rig built into a firmware bundle, boards beside
 * their cells publishing to a broker, faults applied on schedule, the clock driven at a speed until
 * the duration has passed, every frame the boards still hold delivered, and the ground truth and the
 * applied faults written to `outDir`. `cellrig sim`, the benchmark and the tests all run this.
 */

export interface SimRunOptions {
  /** Cell preset; its rig is rigs/<preset>.json unless `rigPath` is given. */
  preset: string;
  rigPath?: string;
  boards: number;
  duration_s: number;
  /** "max", or a factor of real time. */
  speed: "max" | number;
  /**
   * Address the boards publish to. `accept` is set when the broker runs in this process (the
   * embedded broker's): the boards' connections to that address are then in-memory streams it is
   * handed, not TCP sockets (see NetRoute in sim/runtime/net.ts).
   */
  broker: { host: string; port: number; accept?: (stream: Duplex) => void };
  /** Ground truth (`<serial>.csv`, `.json`, `.cycles.jsonl`) and `faults.jsonl` go here. */
  outDir?: string;
  faults?: FaultSchedule;
  /** Replaces the preset's cycling protocol (its "Protocol" section). */
  presetOverrides?: PresetOverrides;
  seed?: number;
  /** Virtual (Unix) time of the start; default now, to the second. */
  start_s?: number;
  /** Called about every `progressEvery_ms` of wall time, and once at the end. */
  onProgress?: (progress: SimProgress) => void;
  progressEvery_ms?: number;
  /** Carries out the schedule's broker_restart and bridge_kill faults (the soak suite's broker and bridge). */
  hostFaults?: HostFaults;
  /** Files each board finds in its Storage at its first boot, given its serial and the rig it runs (a broker password). */
  storage?: (serial: string, config: RigConfig) => StorageFiles;
  /** Called once the boards have booted, to watch them (the soak suite counts their conversions). */
  onStart?: (rig: PresetRig, config: RigConfig) => void;
}

export interface SimProgress {
  simulated_s: number;
  duration_s: number;
  wall_s: number;
  /** Simulated seconds per wall second so far. */
  realtimeFactor: number;
  /** Data frames the boards published (first sends). */
  frames: number;
  /** QoS 1 publishes the broker acknowledged. */
  acknowledged: number;
  /** Data frames the broker acknowledged: all of them (= `frames`) once every frame is delivered. */
  framesAcknowledged: number;
}

export interface SimRunResult extends SimProgress {
  config: RigConfig;
  bundleHash: string;
  /** Ground-truth base paths, one per board. */
  groundTruth: string[];
  faults: AppliedFault[];
  /** Errors the firmware threw, per board. */
  errors: BoardError[][];
  reboots: number[];
  /** Board serials, in board order. */
  serials: string[];
}

/**
 * At "max" speed the clock waits for the broker's answer to a request older than this (virtual s):
 * well inside the firmware's shortest timeout (10 s for CONNACK and PUBACK), and long enough that
 * several frames travel per wait.
 */
const REPLY_WAIT_s = 2;
/** After the end, the boards' last frames are delivered when no request has waited for this long (wall ms)... */
const QUIET_ms = 300;
/** ...or this much wall time has passed. */
const DRAIN_LIMIT_ms = 15_000;
/** Estimate JsVars for process.memory() at most this often on a long run (see SimBoard memoryRefresh_s). */
const MEMORY_REFRESH_s = 3600;

const RIGS = new URL("../rigs/", import.meta.url);

export async function runSimulation(options: SimRunOptions): Promise<SimRunResult> {
  if (!(options.duration_s > 0)) throw new RangeError(`simulation duration must be positive, got ${options.duration_s} s`);
  const rigPath = options.rigPath ?? new URL(`${options.preset}.json`, RIGS);
  let raw: { board: string; broker: object } & Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(rigPath, "utf8"));
  } catch (err) {
    throw new Error(`rig configuration for preset "${options.preset}" (${String(rigPath)}) cannot be read: ${(err as Error).message}`);
  }
  raw.broker = { ...raw.broker, host: options.broker.host, port: options.broker.port };
  const board = loadBoardProfile(raw.board);
  const config = validateRigConfig(raw, board, `rig configuration ${String(rigPath)}`);
  const bundle = await buildFirmware({ board, config });

  const start_s = options.start_s ?? Math.floor(Date.now() / 1000);
  const clock = new VirtualClock(start_s);
  if (options.outDir !== undefined) mkdirSync(options.outDir, { recursive: true });
  const rig = startPresetRig({
    code: bundle.code,
    board,
    config,
    preset: options.preset,
    ...(options.presetOverrides ? { presetOverrides: options.presetOverrides } : {}),
    boards: options.boards,
    clock,
    ...(options.outDir !== undefined ? { groundTruthDir: options.outDir } : {}),
    seed: options.seed ?? 1,
    memoryRefresh_s: MEMORY_REFRESH_s,
    ...(options.broker.accept !== undefined ? { route: brokerRoute(options.broker) } : {}),
    ...(options.storage !== undefined ? { storage: (serial: string) => options.storage!(serial, config) } : {}),
  });
  const faultLog = options.outDir === undefined ? undefined : join(options.outDir, "faults.jsonl");
  if (faultLog !== undefined) writeFileSync(faultLog, "");
  let injector: FaultInjector | undefined;
  try {
    options.onStart?.(rig, config);
    injector = new FaultInjector(clock, options.hostFaults ? { ...rig, host: options.hostFaults } : rig, config, options.faults ?? [], (f) => {
      if (faultLog !== undefined) appendFileSync(faultLog, JSON.stringify(f) + "\n");
    });
  } catch (err) {
    rig.close();
    throw err;
  }

  const end_s = start_s + options.duration_s;
  const started_ms = performance.now();
  const progress = (): SimProgress => {
    const simulated_s = Math.min(options.duration_s, clock.now_s() - start_s);
    const wall_s = (performance.now() - started_ms) / 1000;
    let frames = 0;
    let acknowledged = 0;
    let framesAcknowledged = 0;
    for (const n of rig.networks) {
      frames += n.counters.dataFrames;
      acknowledged += n.counters.acknowledged;
      framesAcknowledged += n.counters.framesAcknowledged;
    }
    return { simulated_s, duration_s: options.duration_s, wall_s, realtimeFactor: wall_s > 0 ? simulated_s / wall_s : 0, frames, acknowledged, framesAcknowledged };
  };

  // The last timer before the end lands exactly on it, so the clock stops there.
  clock.setTimeout(rig, () => {}, options.duration_s);
  const realtime = clock.runRealtime({
    speed: options.speed,
    holdAt: () => {
      const oldest = rig.oldestWaiting_s();
      const limit = oldest === undefined ? undefined : oldest + REPLY_WAIT_s;
      return limit === undefined ? end_s : Math.min(limit, end_s);
    },
  });
  try {
    await new Promise<void>((resolve) => {
      const every_ms = options.progressEvery_ms ?? 250;
      let last_ms = 0;
      const poll = setInterval(() => {
        if (options.onProgress && performance.now() - last_ms >= every_ms) {
          last_ms = performance.now();
          options.onProgress(progress());
        }
        if (clock.now_s() >= end_s) {
          clearInterval(poll);
          resolve();
        }
      }, Math.min(20, every_ms));
    });
  } finally {
    realtime.stop();
    injector.cancel();
  }
  // The speed is that of the simulation proper; delivering what the boards still hold comes after.
  const atEnd = progress();
  await drain(() => rig.oldestWaiting_s() !== undefined);
  const result = { ...progress(), wall_s: atEnd.wall_s, realtimeFactor: atEnd.realtimeFactor };
  options.onProgress?.(result);
  const summary: SimRunResult = {
    ...result,
    config,
    bundleHash: bundle.hash,
    groundTruth: rig.boards.map((_, i) => rig.groundTruth(i)).filter((p): p is string => p !== undefined),
    faults: injector.applied,
    errors: rig.boards.map((b) => b.errors),
    reboots: rig.boards.map((b) => b.reboots.length),
    serials: rig.boards.map((b) => b.serial),
  };
  rig.close();
  return summary;
}

/** Routes the firmware's connections to the broker's address to the in-process broker; anything else dials as given. */
function brokerRoute(broker: SimRunOptions["broker"]): (host: string, port: number) => NetRoute {
  return (host, port) => (host === broker.host && port === broker.port ? { host, port, accept: broker.accept } : { host, port });
}

/** Waits until nothing has waited for the broker for QUIET_ms, so frames held back by a full window go out. */
async function drain(waiting: () => boolean): Promise<void> {
  const until_ms = performance.now() + DRAIN_LIMIT_ms;
  let quietSince_ms = performance.now();
  while (performance.now() < until_ms) {
    await new Promise((r) => setTimeout(r, 10));
    if (waiting()) quietSince_ms = performance.now();
    else if (performance.now() - quietSince_ms >= QUIET_ms) return;
  }
}
