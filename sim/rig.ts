import { OUTPUT_MAX_COUNTS, OUTPUT_MIN_COUNTS } from "../boards/chips/abp2.ts";
import type { BoardProfile } from "../boards/profile.ts";
import type { ChannelConfig, RigConfig } from "../boards/rig-schema.ts";
import { simProfile } from "./board-profile.ts";
import { Abp2Twin } from "./chips/abp2.ts";
import { Ads1115Twin } from "./chips/ads1115.ts";
import { Ina226Twin } from "./chips/ina226.ts";
import { Max31865Twin } from "./chips/max31865.ts";
import { NtcDivider } from "./chips/ntc-divider.ts";
import { PsdTwin, QuadrantTwin } from "./chips/photodiodes.ts";
import { RatiometricPin } from "./chips/ratiometric-pin.ts";
import { gasFor, pressure_Pa, temperature_K, type SealedHeadspaceParams } from "./physics/sealed-headspace.ts";
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

/** The twin that stands for a channel's sensor: the chip for chips, the detector for photodiode groups, the divider for analog pins. */
export type SensorTwin = Ads1115Twin | Ina226Twin | Max31865Twin | NtcDivider | RatiometricPin | Abp2Twin | PsdTwin | QuadrantTwin;

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
/** Photodiode amplifiers run from 5 V and swing to about 4.9 V. */
const AMPLIFIER_RAIL_V = 4.9;
/** Each photodiode signal sits near 1 V by default: well inside the ADS1115's ranges above 1.024 V. */
const DEFAULT_SIGNAL_V = 1;
/** A focused laser spot on a quadrant photodiode, 1/e² radius. */
const DEFAULT_SPOT_RADIUS_m = 0.5e-3;

type Pin = 0 | 1 | 2 | 3;

/** The ADC pin of a single-ended input; differential inputs are left to the caller. */
function singleEnded(input: string): Pin | undefined {
  return /^AIN[0-3]$/.test(input) ? (Number(input.slice(3)) as Pin) : undefined;
}

/** Wires the twins of one board to its buses and pins, with constant or cell-driven physical inputs. */
class BoardWiring {
  readonly byChannel = new Map<string, SensorTwin>();
  readonly adsByChannel = new Map<string, Ads1115Twin>();
  private readonly i2c = new Map<string, Ads1115Twin | Ina226Twin | Abp2Twin>();
  private readonly groups = new Map<string, PsdTwin | QuadrantTwin>();

  constructor(
    private readonly board: SimBoard,
    private readonly cell: SealedHeadspaceParams,
  ) {}

  private onI2C<T extends Ads1115Twin | Ina226Twin | Abp2Twin>(bus: string, address: number, make: () => T): T {
    const key = `${bus}@${address}`;
    let twin = this.i2c.get(key);
    if (twin === undefined) {
      twin = make();
      this.board.i2c(bus).attach(twin);
      this.i2c.set(key, twin);
    }
    return twin as T;
  }

  add(ch: ChannelConfig): void {
    const cell = this.cell;
    const cellTemperature_degC = (t: number) => temperature_K(cell, t) - KELVIN_AT_0_DEGC;
    switch (ch.sensor) {
      case "ads1115": {
        const twin = this.onI2C(ch.bus, ch.address, () => new Ads1115Twin(ch.address));
        const pin = singleEnded(ch.input);
        if (ch.quantity === "cell_pressure_pa" && pin !== undefined) twin.setInput(pin, (t) => transducerVoltage_V(DEFAULT_TRANSDUCER, pressure_Pa(cell, t)));
        this.adsByChannel.set(ch.id, twin);
        this.byChannel.set(ch.id, twin);
        return;
      }
      case "psd":
      case "quadrant": {
        const adc = this.onI2C(ch.bus, ch.address, () => new Ads1115Twin(ch.address));
        let group = this.groups.get(ch.group);
        if (group === undefined) {
          const frontEnd = { transimpedance_ohm: ch.transimpedance_ohm, rail_V: AMPLIFIER_RAIL_V };
          const signals = ch.sensor === "psd" ? 2 : 4;
          const photocurrent_A = (signals * DEFAULT_SIGNAL_V) / ch.transimpedance_ohm;
          group = ch.sensor === "psd" ? new PsdTwin(ch.active_length_m, frontEnd, () => photocurrent_A) : new QuadrantTwin(DEFAULT_SPOT_RADIUS_m, frontEnd, () => photocurrent_A);
          this.groups.set(ch.group, group);
        }
        const pin = singleEnded(ch.input);
        const index = "ABCD".indexOf(ch.sensor === "psd" ? ch.electrode : ch.segment);
        const detector = group;
        if (pin !== undefined) adc.setInput(pin, (t) => detector.voltage_V(index, t));
        this.adsByChannel.set(ch.id, adc);
        this.byChannel.set(ch.id, group);
        return;
      }
      case "ina226": {
        this.byChannel.set(ch.id, this.onI2C(ch.bus, ch.address, () => new Ina226Twin(ch.address, { shunt_ohm: ch.shunt_ohm })));
        return;
      }
      case "abp2": {
        const cal = ch.calibration;
        if (cal.kind !== "linear") return;
        const twin = this.onI2C(ch.bus, ch.address, () => new Abp2Twin(ch.address, { min_Pa: cal.gain * OUTPUT_MIN_COUNTS + cal.offset, max_Pa: cal.gain * OUTPUT_MAX_COUNTS + cal.offset }));
        twin.setPressure((t) => pressure_Pa(cell, t));
        twin.setTemperature(cellTemperature_degC);
        this.byChannel.set(ch.id, twin);
        return;
      }
      case "max31865": {
        const cal = ch.calibration;
        if (cal.kind !== "rtd_cvd") return;
        const twin = new Max31865Twin(ch.cs, { ref_ohm: cal.ref_ohm, r0_ohm: cal.r0_ohm, A: cal.A, B: cal.B, C: cal.C });
        twin.setTemperature(cellTemperature_degC);
        this.board.spi(ch.bus).attach(twin);
        this.byChannel.set(ch.id, twin);
        return;
      }
      case "ntc": {
        const cal = ch.calibration;
        if (cal.kind !== "ntc_beta" && cal.kind !== "ntc_steinhart_hart") return;
        const model = cal.kind === "ntc_beta" ? { r0_ohm: cal.r0_ohm, t0_degC: cal.t0_degC, beta_K: cal.beta_K } : { A: cal.A, B: cal.B, C: cal.C };
        const twin = new NtcDivider({ series_ohm: cal.series_ohm, ntc_position: cal.ntc_position, model });
        twin.setTemperature(cellTemperature_degC);
        this.board.setAnalog(ch.pin, (t) => twin.analog(t));
        this.byChannel.set(ch.id, twin);
        return;
      }
      case "ratiometric": {
        const twin = new RatiometricPin({ transducer: { ...DEFAULT_TRANSDUCER, supply_V: ch.supply_V }, divider: ch.divider, adcFullScale_V: ch.adc_full_scale_V });
        twin.setPressure((t) => pressure_Pa(cell, t));
        this.board.setAnalog(ch.pin, (t) => twin.analog(t));
        this.byChannel.set(ch.id, twin);
        return;
      }
      case "synthetic":
        return;
    }
  }
}

/**
 * Boards of one rig, each beside its own sealed cell, with a twin for every configured sensor: an
 * ADS1115 channel measuring cell pressure sees a ratiometric transducer on that cell (other ADS1115
 * inputs read 0 V until set); pressure sensors follow the cell's pressure, temperature sensors its
 * temperature; current monitors read a constant 0.5 A at 3.7 V; photodiode signals sit near 1 V with
 * the spot centred. Cells differ a little in filling pressure and phase so the boards are told apart.
 */
export function startSimRig(options: SimRigOptions): SimRig {
  const base = simProfile(options.board);
  // Chip selects are ordinary GPIOs the board profile does not list; the simulated board needs them as pins.
  const csPins = options.config.channels.flatMap((ch) => (ch.sensor === "max31865" ? [ch.cs] : []));
  const profile = { ...base, pins: [...new Set([...(base.pins ?? []), ...csPins])] };
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
    const board = new SimBoard({ code: options.code, profile, serial: `${prefix}${i + 1}`, clock: options.clock });
    const wiring = new BoardWiring(board, cell);
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
