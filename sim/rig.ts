import type { BoardProfile } from "../boards/profile.ts";
import type { RigConfig } from "../boards/rig-schema.ts";
import { simProfile } from "./board-profile.ts";
import type { Ads1115Twin } from "./chips/ads1115.ts";
import { gasFor, pressure_Pa, temperature_K, type SealedHeadspaceParams } from "./physics/sealed-headspace.ts";
import type { VirtualClock } from "./runtime/clock.ts";
import { provisionedFlash, type StorageFiles } from "./provision.ts";
import { SimBoard } from "./runtime/board.ts";
import { DEFAULT_TRANSDUCER, transducerVoltage_V } from "./sensors/ratiometric-pressure.ts";
import { BoardWiring, type RigPhysics, type SensorTwin } from "./sensor-wiring.ts";

export type { SensorTwin } from "./sensor-wiring.ts";

export interface SimRigOptions {
  /** The compiled firmware bundle every board runs. */
  code: string;
  board: BoardProfile;
  config: RigConfig;
  boards: number;
  clock: VirtualClock;
  /** Board i gets serial `${serialPrefix}${i + 1}`, which the firmware uses as its board id. */
  serialPrefix?: string;
  /** Files each board finds in its Storage at its first boot (its broker password, its command key), by serial. */
  storage?: (serial: string) => StorageFiles;
}

export interface SimRig {
  boards: SimBoard[];
  /** The ADS1115 twin behind channel `channel` of board `index` (ads1115, psd and quadrant channels). */
  twin(index: number, channel: string): Ads1115Twin;
  /** The twin behind any channel of board `index`, to set its physical input or inject a fault. */
  sensor(index: number, channel: string): SensorTwin;
  /** The cell that board `index` watches. */
  cell(index: number): SealedHeadspaceParams;
  close(): void;
}

const HEADSPACE_m3 = 10e-6;
const MEAN_TEMPERATURE_K = 298.15;
const KELVIN_AT_0_DEGC = 273.15;

/**
 * A sealed cell at rest: every pressure input sees its pressure, every temperature input its slow
 * temperature swing; `steady` puts a constant current and voltage on the INA226 inputs (none: no current).
 */
export function sealedCellPhysics(cell: SealedHeadspaceParams, steady?: { current_A: number; voltage_V: number }): RigPhysics {
  const pressure = (t: number) => pressure_Pa(cell, t);
  const temperature = (t: number) => temperature_K(cell, t) - KELVIN_AT_0_DEGC;
  return {
    adcInput: (ch) => (/pressure_pa$/.test(ch.quantity) && /^AIN[0-3]$/.test(ch.input) ? (t) => transducerVoltage_V(DEFAULT_TRANSDUCER, pressure(t)) : undefined),
    pressure: () => pressure,
    temperature: () => temperature,
    electrical: () => (steady === undefined ? undefined : { current_A: () => steady.current_A, voltage_V: () => steady.voltage_V }),
    spot: () => undefined,
  };
}


/**
 * Boards of one rig, each beside its own sealed cell, with a twin for every configured sensor: an
 * ADS1115 channel measuring cell pressure sees a ratiometric transducer on that cell (other ADS1115
 * inputs read 0 V until set); pressure sensors follow the cell's pressure, temperature sensors its
 * temperature; current monitors read a constant 0.5 A at 3.7 V; photodiode signals sit near 1 V with
 * the spot centred. Cells differ a little in filling pressure and phase so the boards are told apart.
 */
export function startSimRig(options: SimRigOptions): SimRig {
  const profile = simProfile(options.board);
  const prefix = options.serialPrefix ?? "sim-";
  const boards: SimBoard[] = [];
  const wirings: BoardWiring[] = [];
  const cells: SealedHeadspaceParams[] = [];
  for (let i = 0; i < options.boards; i++) {
    const cell: SealedHeadspaceParams = {
      headspace_m3: HEADSPACE_m3,
      gas_mol: gasFor(101325 + 5000 * i, HEADSPACE_m3, MEAN_TEMPERATURE_K),
      mean_temperature_K: MEAN_TEMPERATURE_K,
      swing_K: 1,
      swing_period_s: 600 + 60 * i,
    };
    const serial = `${prefix}${i + 1}`;
    const flash = options.storage === undefined ? undefined : provisionedFlash(profile, options.storage(serial));
    const board = new SimBoard({ code: options.code, profile, serial, clock: options.clock, ...(flash === undefined ? {} : { flash }) });
    const wiring = new BoardWiring(board, sealedCellPhysics(cell));
    for (const ch of options.config.channels) wiring.add(ch);
    boards.push(board);
    wirings.push(wiring);
    cells.push(cell);
  }
  for (const b of boards) b.boot();
  return {
    boards,
    twin(index, channel) {
      const twin = wirings[index]?.adsByChannel.get(channel);
      if (twin === undefined) throw new Error(`board ${index} has no ADS1115 channel "${channel}"`);
      return twin;
    },
    sensor(index, channel) {
      const twin = wirings[index]?.byChannel.get(channel);
      if (twin === undefined) throw new Error(`board ${index} has no simulated sensor for channel "${channel}" (synthetic channels have none)`);
      return twin;
    },
    cell: (index) => cells[index]!,
    close() {
      for (const b of boards) b.close();
    },
  };
}
