import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDbStore } from "../../host/store/duckdb-store.ts";
import type { FaultSchedule } from "../../sim/faults.ts";
import { runSimulation, type SimProgress } from "../../sim/run.ts";
import type { BrokerKind } from "./broker.ts";
import { DATABASE, startSoakHost, type GapReport } from "./host.ts";
import { ledgerRow, sampleRows, type LedgerRow, type SampleRows } from "./ledger.ts";
import { bootFrames, countConversions, type RecordedCount } from "./recorded.ts";
import { storedFrames } from "./stored-frames.ts";
import { soakSchedule } from "./schedule.ts";

/**
 * One soak: simulated boards running the built firmware over days of virtual time, publishing to
 * a broker that faults restart (broker.ts), a bridge process storing into DuckDB, and the seed's faults injected on the
 * way (schedule.ts). At the end the bridge is given time to take everything, and the ledger says
 * where each recorded sample went (ledger.ts).
 */

export interface SoakOptions {
  seed: number;
  boards: number;
  duration_s: number;
  /** Folder for the database and the run's files. */
  dir: string;
  /** Default mosquitto (persistent sessions); see broker.ts. */
  broker?: BrokerKind;
  /** Fault rates × this (schedule.ts). */
  intensity?: number;
  /** Replaces the seed's random schedule (to replay one fault alone). */
  schedule?: FaultSchedule;
  /** The rig the boards run; its channels must be one-input ADS1115s (recorded.ts). */
  rigPath?: string;
  /** Cell physics behind the sensors. */
  preset?: string;
  onProgress?: (progress: SimProgress & { gaps: number; restarts: { broker: number; bridge: number } }) => void;
  log?: (line: string) => void;
}

export interface SoakResult {
  schedule: FaultSchedule;
  ledger: LedgerRow[];
  /** Every gap message the boards sent, once each. */
  gaps: GapReport[];
  /** Wall time of the whole soak, and of the simulation proper. */
  wall_s: number;
  simulated_wall_s: number;
  realtimeFactor: number;
  frames: number;
  restarts: { broker: number; bridge: number };
  /** Errors the firmware threw, per board (each is a finding). */
  boardErrors: string[];
}

const DEFAULT_RIG = new URL("../../rigs/default.json", import.meta.url);
/** Fixed so that runs of one seed line up to the microsecond: 2026-01-01T00:00:00Z. */
const START_s = 1_767_225_600;

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const started_ms = performance.now();
  const log = options.log ?? (() => {});
  const schedule = options.schedule ?? soakSchedule({ seed: options.seed, boards: options.boards, duration_s: options.duration_s, ...(options.intensity ? { intensity: options.intensity } : {}) });
  if (existsSync(join(options.dir, DATABASE))) throw new Error(`${join(options.dir, DATABASE)} exists: a soak needs a folder without an earlier soak's database`);
  const host = await startSoakHost(options.broker ?? "mosquitto", options.dir, log);
  const counts: RecordedCount[] = [];
  let sim;
  try {
    sim = await runSimulation({
      preset: options.preset ?? "graphite-nmc-gas",
      rigPath: options.rigPath ?? fileURLToPath(DEFAULT_RIG),
      boards: options.boards,
      duration_s: options.duration_s,
      speed: "max",
      broker: { host: "127.0.0.1", port: host.brokerPort },
      faults: schedule,
      seed: options.seed,
      start_s: START_s,
      hostFaults: host,
      progressEvery_ms: 2000,
      onStart(rig, config) {
        for (const board of rig.boards) counts.push(countConversions(board, config));
      },
      onProgress(p) {
        options.onProgress?.({ ...p, gaps: host.gaps().length, restarts: { ...host.restarts } });
      },
    });
    log(`simulation done in ${sim.wall_s.toFixed(0)} s (${sim.realtimeFactor.toFixed(0)}× real time); waiting for the bridge to take everything`);
    await host.settle();
  } finally {
    await host.close();
  }

  const databasePath = join(options.dir, DATABASE);
  // Opening the store merges what a killed bridge left uncommitted-but-appended (none is acknowledged).
  const store = new DuckDbStore({ path: databasePath });
  await store.open();
  const rows: SampleRows[] = [];
  try {
    for (const serial of sim.serials) rows.push(await sampleRows(store, serial));
  } finally {
    await store.close();
  }
  const frames = await storedFrames(databasePath, sim.serials);
  const pending = await storedFrames(databasePath, sim.serials, "pending_frames");
  const ledger = sim.serials.map((serial, i) => ledgerRow(serial, bootFrames(counts[i]!, sim.config), frames.get(serial)!, rows[i]!, host.gaps(), pending.get(serial)!));
  return {
    schedule,
    ledger,
    gaps: host.gaps(),
    wall_s: (performance.now() - started_ms) / 1000,
    simulated_wall_s: sim.wall_s,
    realtimeFactor: sim.realtimeFactor,
    frames: sim.frames,
    restarts: host.restarts,
    boardErrors: sim.errors.flatMap((errors, i) => errors.map((e) => `${sim.serials[i]}: ${e.where} ${e.name}: ${e.message}`)),
  };
}
