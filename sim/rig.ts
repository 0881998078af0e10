import type { BoardProfile } from "../boards/profile.ts";
import type { RigConfig } from "../boards/rig-schema.ts";
import { simProfile } from "./board-profile.ts";
import { Ads1115Twin } from "./chips/ads1115.ts";
import { gasFor, pressure_Pa, type SealedHeadspaceParams } from "./physics/sealed-headspace.ts";
import type { VirtualClock } from "./runtime/clock.ts";
import { SimBoard } from "./runtime/board.ts";
import { DEFAULT_TRANSDUCER, transducerVoltage_V } from "./sensors/ratiometric-pressure.ts";

export interface SimRigOptions {
  /** The compiled firmware bundle every board runs. */
  code: string;
  board: BoardProfile;
  config: RigConfig;
  boards: number;
  clock: VirtualClock;
  /** Board i gets serial `${serialPrefix}${i + 1}`, which the firmware uses as its board id. */
  serialPrefix?: string;
}

export interface SimRig {
  boards: SimBoard[];
  /** The twin behind channel `channel` of board `index`, to read back what it presented. */
  twin(index: number, channel: string): Ads1115Twin;
  /** The cell that board `index` watches. */
  cell(index: number): SealedHeadspaceParams;
  close(): void;
}

const HEADSPACE_m3 = 10e-6;
const MEAN_TEMPERATURE_K = 298.15;

/**
 * Boards of one rig, each beside its own sealed cell: every ADS1115 channel that measures cell
 * pressure sees a ratiometric transducer on that cell; other ADS1115 inputs read 0 V. Cells differ a
 * little in filling pressure and phase so the boards are told apart on the dashboard.
 */
export function startSimRig(options: SimRigOptions): SimRig {
  const profile = simProfile(options.board);
  const prefix = options.serialPrefix ?? "sim-";
  const boards: SimBoard[] = [];
  const twins: Map<string, Ads1115Twin>[] = [];
  const cells: SealedHeadspaceParams[] = [];
  for (let i = 0; i < options.boards; i++) {
    const cell: SealedHeadspaceParams = {
      headspace_m3: HEADSPACE_m3,
      gas_mol: gasFor(101325 + 5000 * i, HEADSPACE_m3, MEAN_TEMPERATURE_K),
      mean_temperature_K: MEAN_TEMPERATURE_K,
      swing_K: 1,
      swing_period_s: 600 + 60 * i,
    };
    const board = new SimBoard({ code: options.code, profile, serial: `${prefix}${i + 1}`, clock: options.clock });
    const byChannel = new Map<string, Ads1115Twin>();
    const byAddress = new Map<string, Ads1115Twin>();
    for (const ch of options.config.channels) {
      if (ch.sensor !== "ads1115") continue;
      const key = `${ch.bus}@${ch.address}`;
      let twin = byAddress.get(key);
      if (twin === undefined) {
        twin = new Ads1115Twin(ch.address);
        board.i2c(ch.bus).attach(twin);
        byAddress.set(key, twin);
      }
      if (ch.quantity === "cell_pressure_pa" && /^AIN[0-3]$/.test(ch.input)) {
        const pin = Number(ch.input.slice(3)) as 0 | 1 | 2 | 3;
        twin.setInput(pin, (t) => transducerVoltage_V(DEFAULT_TRANSDUCER, pressure_Pa(cell, t)));
      }
      byChannel.set(ch.id, twin);
    }
    boards.push(board);
    twins.push(byChannel);
    cells.push(cell);
  }
  for (const b of boards) b.boot();
  return {
    boards,
    twin(index, channel) {
      const twin = twins[index]?.get(channel);
      if (twin === undefined) throw new Error(`board ${index} has no ADS1115 channel "${channel}"`);
      return twin;
    },
    cell: (index) => cells[index]!,
    close() {
      for (const b of boards) b.close();
    },
  };
}
