import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { lsb_V } from "../boards/chips/ads1115.ts";
import type { BoardProfile } from "../boards/profile.ts";
import type { ChannelConfig, RigConfig } from "../boards/rig-schema.ts";
import type { Ads1115Twin } from "./chips/ads1115.ts";
import { Cell, GroundTruthWriter, groundTruthColumns, loadPreset, type CellState, type PresetOverrides } from "./physics/index.ts";
import { simProfile } from "./board-profile.ts";
import { provisionedFlash, type StorageFiles } from "./provision.ts";
import { SimBoard } from "./runtime/board.ts";
import type { VirtualClock } from "./runtime/clock.ts";
import { SimNetwork, type NetRoute } from "./runtime/net.ts";
import { BoardWiring, type RigPhysics, type SensorTwin, type TwinNoise } from "./sensor-wiring.ts";

export interface PresetRigOptions {
  /** The compiled firmware bundle every board runs. */
  code: string;
  board: BoardProfile;
  config: RigConfig;
  /** Cell preset (sim/physics/presets/), e.g. "graphite-nmc-gas". */
  preset: string;
  /** Values of the preset to change, e.g. `{ Protocol: {...} }` for another cycling protocol. */
  presetOverrides?: PresetOverrides;
  boards: number;
  clock: VirtualClock;
  /** Board i gets serial `${serialPrefix}${i + 1}`, which the firmware uses as its board id. */
  serialPrefix?: string;
  /** Folder for the ground truth; board i's run goes to `<dir>/<serial>.csv`, `.json` and `.cycles.jsonl`. */
  groundTruthDir?: string;
  /** Seeds the twins' noise and the link-loss draws; the same seed gives the same run. Default 1. */
  seed?: number;
  /** false gives exact codes (no conversion noise). Default true. */
  noise?: boolean;
  /** Maps the broker address the firmware asks for to a real one. */
  route?: (host: string, port: number) => NetRoute;
  /** How often process.memory() estimates JsVars afresh, virtual s (SimBoard `memoryRefresh_s`); default 0, every call. */
  memoryRefresh_s?: number;
  /** Files each board finds in its Storage at its first boot (its broker password, its command key), by serial. */
  storage?: (serial: string) => StorageFiles;
}

export interface PresetRig {
  boards: SimBoard[];
  /** The cell beside each board. */
  cells: Cell[];
  /** Each board's network, the handle for link faults. */
  networks: SimNetwork[];
  /** Virtual (Unix) time of test time 0 of every cell. */
  start_s: number;
  /** The twin behind any channel of board `index`, to inject a fault. */
  sensor(index: number, channel: string): SensorTwin;
  /** The ADS1115 twin behind an ADS1115-based channel of board `index`. */
  twin(index: number, channel: string): Ads1115Twin;
  /** Base path of board `index`'s ground truth (without extension), if written. */
  groundTruth(index: number): string | undefined;
  /** Virtual send time of the oldest request on any board that the broker has not answered (for VirtualClock `holdAt`). */
  oldestWaiting_s(): number | undefined;
  /** Runs every cell up to the clock's time, so the ground truth covers stretches where no sensor was read. */
  syncCells(): void;
  /** Syncs the cells, closes the ground truth files and stops the boards. */
  close(): void;
}

/**
 * Twin noise of a realistic rig: the ADS1115 near half an LSB at 860 SPS (datasheet SBAS444D
 * Table 1 gives noise of the order of one LSB at the high rates), the INA226 one shunt LSB per
 * conversion, 2 mΩ on a platinum RTD (about 5 mK on PT100), the ABP2 a hundred-thousandth of its span.
 */
const REALISTIC_NOISE: Omit<TwinNoise, "seed"> = { ads1115_lsb: 0.5, ina226Shunt_V: 2.5e-6, max31865_ohm: 0.002, abp2_span: 1e-5 };

/** Sensors whose reading is one quantity of the cell, named by the channel's `quantity`. */
function unknownQuantity(ch: ChannelConfig, preset: string, names: string[]): Error {
  return new Error(
    `channel "${ch.id}" measures "${ch.quantity}", which cell preset "${preset}" does not simulate; ` +
      `give it one of: ${names.join(", ")}`,
  );
}

/**
 * A cell's state as seen by sensors at virtual time t. Reads within one firmware callback share a
 * time, so the last state is kept; the cell steps forward as the sensors ask (Cell.stateAt).
 */
class CellProbe {
  private time_s = NaN;
  private last!: Readonly<CellState>;

  constructor(
    readonly cell: Cell,
    private readonly start_s: number,
  ) {}

  at(t: number): Readonly<CellState> {
    if (t !== this.time_s) {
      this.last = this.cell.stateAt(Math.max(0, t - this.start_s));
      this.time_s = t;
    }
    return this.last;
  }

  advanceTo(t: number): void {
    this.cell.advanceTo(Math.max(0, t - this.start_s));
    this.time_s = NaN;
  }
}

/**
 * How each sensor sees the cell: a channel's `quantity` names a ground-truth column (the same names,
 * e.g. cell_pressure_pa, surface_temperature_celsius, surface_pressure_pa); an ADS1115 channel's
 * input voltage is that quantity through the inverse of its linear calibration, so the calibration
 * is the transducer's transfer function; INA226s see the cell current through their shunt and the
 * cell voltage on their bus; detector groups see the spots of the optical lever in order.
 */
function cellPhysics(probe: CellProbe, preset: string): RigPhysics {
  const columns = groundTruthColumns(probe.cell.has);
  const names = columns.map((c) => c.name);
  const measurand = (ch: ChannelConfig) => {
    const column = columns.find((c) => c.name === ch.quantity);
    if (column === undefined) throw unknownQuantity(ch, preset, names);
    const value = column.value;
    return (t: number) => value(probe.at(t));
  };
  const surface = columns.find((c) => c.name === "surface_temperature_celsius")!.value;
  return {
    adcInput(ch) {
      const cal = ch.calibration;
      if (cal.kind !== "linear") throw new Error(`channel "${ch.id}": an ADS1115 channel needs a linear calibration to be simulated from physics`);
      const value = measurand(ch);
      const lsb = lsb_V(ch.range_V);
      return (t) => ((value(t) - cal.offset) / cal.gain) * lsb;
    },
    pressure: measurand,
    temperature: (ch) => (ch.sensor === "abp2" ? (t) => surface(probe.at(t)) : measurand(ch)),
    electrical: () => ({ current_A: (t) => probe.at(t).current_A, voltage_V: (t) => probe.at(t).voltage_V }),
    spot(beam) {
      if (!probe.cell.has.optics) throw new Error(`cell preset "${preset}" has no optical lever (Optics section), so its detector channels cannot be simulated`);
      if (beam > 1) throw new Error(`cell preset "${preset}" has two beams; the rig has a third detector group`);
      return { position_m: (t) => probe.at(t).spot_positions_m[beam]!, photocurrent_A: (t) => probe.at(t).psd_sums_A[beam]! };
    },
  };
}

/**
 * Boards of one rig, each beside its own cell of a physics preset, every configured sensor a twin
 * driven by that cell, and the cell's true state written beside the run as ground truth.
 */
export function startPresetRig(options: PresetRigOptions): PresetRig {
  const profile = simProfile(options.board);
  const preset = loadPreset(options.preset, options.presetOverrides);
  const prefix = options.serialPrefix ?? "sim-";
  const seed = options.seed ?? 1;
  const start_s = options.clock.now_s();
  if (options.groundTruthDir !== undefined) mkdirSync(options.groundTruthDir, { recursive: true });

  const boards: SimBoard[] = [];
  const cells: Cell[] = [];
  const probes: CellProbe[] = [];
  const networks: SimNetwork[] = [];
  const wirings: BoardWiring[] = [];
  const writers: (GroundTruthWriter | undefined)[] = [];
  try {
    for (let i = 0; i < options.boards; i++) {
      const serial = `${prefix}${i + 1}`;
      const cell = new Cell(preset, { startUnixTime_s: start_s });
      const probe = new CellProbe(cell, start_s);
      const network = new SimNetwork(options.route, { seed: seed * 1000 + i });
      const flash = options.storage === undefined ? undefined : provisionedFlash(profile, options.storage(serial));
      const board = new SimBoard({ code: options.code, profile, serial, clock: options.clock, network, memoryRefresh_s: options.memoryRefresh_s ?? 0, ...(flash === undefined ? {} : { flash }) });
      const noise = options.noise === false ? undefined : { ...REALISTIC_NOISE, seed: seed * 1000 + i };
      const wiring = new BoardWiring(board, cellPhysics(probe, options.preset), noise);
      for (const ch of options.config.channels) wiring.add(ch);
      writers.push(options.groundTruthDir === undefined ? undefined : new GroundTruthWriter(cell, join(options.groundTruthDir, serial)));
      boards.push(board);
      cells.push(cell);
      probes.push(probe);
      networks.push(network);
      wirings.push(wiring);
    }
  } catch (err) {
    for (const w of writers) w?.close();
    for (const b of boards) b.close();
    throw err;
  }
  for (const b of boards) b.boot();

  const syncCells = () => {
    const now_s = options.clock.now_s();
    for (const p of probes) p.advanceTo(now_s);
  };
  let closed = false;
  return {
    boards,
    cells,
    networks,
    start_s,
    sensor(index, channel) {
      const twin = wirings[index]?.byChannel.get(channel);
      if (twin === undefined) throw new Error(`board ${index} has no simulated sensor for channel "${channel}" (synthetic channels have none)`);
      return twin;
    },
    twin(index, channel) {
      const twin = wirings[index]?.adsByChannel.get(channel);
      if (twin === undefined) throw new Error(`board ${index} has no ADS1115 channel "${channel}"`);
      return twin;
    },
    groundTruth: (index) => writers[index]?.basePath,
    oldestWaiting_s() {
      let oldest: number | undefined;
      for (const n of networks) {
        const t = n.oldestWaiting_s();
        if (t !== undefined && (oldest === undefined || t < oldest)) oldest = t;
      }
      return oldest;
    },
    syncCells,
    close() {
      if (closed) return;
      closed = true;
      syncCells();
      for (const w of writers) w?.close();
      for (const b of boards) b.close();
    },
  };
}
