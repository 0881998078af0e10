import { OUTPUT_MAX_COUNTS, OUTPUT_MIN_COUNTS } from "../boards/chips/abp2.ts";
import type { ChannelConfig } from "../boards/rig-schema.ts";
import { Abp2Twin } from "./chips/abp2.ts";
import { Ads1115Twin } from "./chips/ads1115.ts";
import { Ina226Twin } from "./chips/ina226.ts";
import { Max31865Twin } from "./chips/max31865.ts";
import { NtcDivider } from "./chips/ntc-divider.ts";
import { PsdTwin, QuadrantTwin } from "./chips/photodiodes.ts";
import { RatiometricPin } from "./chips/ratiometric-pin.ts";
import type { SimBoard } from "./runtime/board.ts";
import { DEFAULT_TRANSDUCER } from "./sensors/ratiometric-pressure.ts";

/** A physical quantity as a function of virtual (Unix) time. */
export type Signal = (time_s: number) => number;

/** The twin that stands for a channel's sensor: the chip for chips, the detector for photodiode groups, the divider for analog pins. */
export type SensorTwin = Ads1115Twin | Ina226Twin | Max31865Twin | NtcDivider | RatiometricPin | Abp2Twin | PsdTwin | QuadrantTwin;

/** A light spot on one detector. */
export interface Spot {
  position_m: Signal;
  photocurrent_A: Signal;
}

/**
 * What the physics beside a board offers its sensors. Each answer is undefined when this physics has
 * nothing for that sensor; the twin then keeps its own default input.
 */
export interface RigPhysics {
  /** Voltage at the ADS1115 input of an `ads1115` channel, V. */
  adcInput(ch: ChannelConfig & { sensor: "ads1115" }): Signal | undefined;
  /** Pressure at a pressure sensor (`abp2`, `ratiometric`), Pa. */
  pressure(ch: ChannelConfig): Signal | undefined;
  /** Temperature at a temperature sensor (`max31865`, `ntc`) or of a sensor's body (`abp2`), °C. */
  temperature(ch: ChannelConfig): Signal | undefined;
  /** Current through an INA226's shunt (A) and its bus voltage (V). */
  electrical(): { current_A: Signal; voltage_V: Signal } | undefined;
  /** The spot on detector `beam` (0, 1, ... in the order the rig's detector groups first appear). */
  spot(beam: number): Spot | undefined;
}

/** Per-conversion noise of the twins; all zero gives exact codes. */
export interface TwinNoise {
  /** Seed of every twin on the board; each twin mixes in its channel index. */
  seed: number;
  /** ADS1115 input noise as a fraction of one LSB of the channel's range. */
  ads1115_lsb: number;
  ina226Shunt_V: number;
  max31865_ohm: number;
  /** ABP2 noise as a fraction of its span. */
  abp2_span: number;
}

/** Photodiode amplifiers run from 5 V and swing to about 4.9 V. */
const AMPLIFIER_RAIL_V = 4.9;
/** Without optics, each photodiode signal sits near 1 V: well inside the ADS1115's ranges above 1.024 V. */
const DEFAULT_SIGNAL_V = 1;
/** A focused laser spot on a quadrant photodiode, 1/e² radius. */
const DEFAULT_SPOT_RADIUS_m = 0.5e-3;

type Pin = 0 | 1 | 2 | 3;

/** The positive ADC pin of an input: AIN0-AIN3 single-ended, or the first pin of a differential pair. */
function positivePin(input: string): Pin {
  return Number(input.slice(3, 4)) as Pin;
}

/** Wires the twins of one board to its buses and pins, with their physical inputs from `physics`. */
export class BoardWiring {
  readonly byChannel = new Map<string, SensorTwin>();
  readonly adsByChannel = new Map<string, Ads1115Twin>();
  private readonly i2c = new Map<string, Ads1115Twin | Ina226Twin | Abp2Twin>();
  private readonly groups = new Map<string, PsdTwin | QuadrantTwin>();
  private index = 0;

  constructor(
    private readonly board: SimBoard,
    private readonly physics: RigPhysics,
    private readonly noise?: TwinNoise,
  ) {}

  private seed(): number {
    return ((this.noise?.seed ?? 0) * 64 + this.index) >>> 0;
  }

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
    this.index++;
    const physics = this.physics;
    const noise = this.noise;
    const adsOptions = (range_V: number) => (noise ? { noise_V: (noise.ads1115_lsb * range_V) / 32768, seed: this.seed() } : {});
    switch (ch.sensor) {
      case "ads1115": {
        const twin = this.onI2C(ch.bus, ch.address, () => new Ads1115Twin(ch.address, adsOptions(ch.range_V)));
        const input = physics.adcInput(ch);
        if (input !== undefined) twin.setInput(positivePin(ch.input), input);
        this.adsByChannel.set(ch.id, twin);
        this.byChannel.set(ch.id, twin);
        return;
      }
      case "psd":
      case "quadrant": {
        const adc = this.onI2C(ch.bus, ch.address, () => new Ads1115Twin(ch.address, adsOptions(ch.range_V)));
        let group = this.groups.get(ch.group);
        if (group === undefined) {
          const frontEnd = { transimpedance_ohm: ch.transimpedance_ohm, rail_V: AMPLIFIER_RAIL_V };
          const signals = ch.sensor === "psd" ? 2 : 4;
          const defaultPhotocurrent_A = (signals * DEFAULT_SIGNAL_V) / ch.transimpedance_ohm;
          const spot = physics.spot(this.groups.size);
          const photocurrent = spot?.photocurrent_A ?? (() => defaultPhotocurrent_A);
          if (ch.sensor === "psd") {
            const psd = new PsdTwin(ch.active_length_m, frontEnd, photocurrent);
            if (spot) psd.setPosition(spot.position_m);
            group = psd;
          } else {
            const quadrant = new QuadrantTwin(DEFAULT_SPOT_RADIUS_m, frontEnd, photocurrent);
            if (spot) quadrant.setPosition(spot.position_m, () => 0);
            group = quadrant;
          }
          this.groups.set(ch.group, group);
        }
        const index = "ABCD".indexOf(ch.sensor === "psd" ? ch.electrode : ch.segment);
        const detector = group;
        adc.setInput(positivePin(ch.input), (t) => detector.voltage_V(index, t));
        this.adsByChannel.set(ch.id, adc);
        this.byChannel.set(ch.id, group);
        return;
      }
      case "ina226": {
        const twin = this.onI2C(ch.bus, ch.address, () => new Ina226Twin(ch.address, { shunt_ohm: ch.shunt_ohm, ...(noise ? { shuntNoise_V: noise.ina226Shunt_V, seed: this.seed() } : {}) }));
        const electrical = physics.electrical();
        if (electrical) {
          twin.setCurrent(electrical.current_A);
          twin.setBusVoltage(electrical.voltage_V);
        }
        this.byChannel.set(ch.id, twin);
        return;
      }
      case "abp2": {
        const cal = ch.calibration;
        if (cal.kind !== "linear") return;
        const min_Pa = cal.gain * OUTPUT_MIN_COUNTS + cal.offset;
        const max_Pa = cal.gain * OUTPUT_MAX_COUNTS + cal.offset;
        const twin = this.onI2C(ch.bus, ch.address, () => new Abp2Twin(ch.address, { min_Pa, max_Pa, ...(noise ? { noise_Pa: noise.abp2_span * (max_Pa - min_Pa), seed: this.seed() } : {}) }));
        const pressure = physics.pressure(ch);
        if (pressure) twin.setPressure(pressure);
        const temperature = physics.temperature(ch);
        if (temperature) twin.setTemperature(temperature);
        this.byChannel.set(ch.id, twin);
        return;
      }
      case "max31865": {
        const cal = ch.calibration;
        if (cal.kind !== "rtd_cvd") return;
        const twin = new Max31865Twin(ch.cs, { ref_ohm: cal.ref_ohm, r0_ohm: cal.r0_ohm, A: cal.A, B: cal.B, C: cal.C, ...(noise ? { noise_ohm: noise.max31865_ohm, seed: this.seed() } : {}) });
        const temperature = physics.temperature(ch);
        if (temperature) twin.setTemperature(temperature);
        this.board.spi(ch.bus).attach(twin);
        this.byChannel.set(ch.id, twin);
        return;
      }
      case "ntc": {
        const cal = ch.calibration;
        if (cal.kind !== "ntc_beta" && cal.kind !== "ntc_steinhart_hart") return;
        const model = cal.kind === "ntc_beta" ? { r0_ohm: cal.r0_ohm, t0_degC: cal.t0_degC, beta_K: cal.beta_K } : { A: cal.A, B: cal.B, C: cal.C };
        const twin = new NtcDivider({ series_ohm: cal.series_ohm, ntc_position: cal.ntc_position, model });
        const temperature = physics.temperature(ch);
        if (temperature) twin.setTemperature(temperature);
        this.board.setAnalog(ch.pin, (t) => twin.analog(t));
        this.byChannel.set(ch.id, twin);
        return;
      }
      case "ratiometric": {
        const twin = new RatiometricPin({ transducer: { ...DEFAULT_TRANSDUCER, supply_V: ch.supply_V }, divider: ch.divider, adcFullScale_V: ch.adc_full_scale_V });
        const pressure = physics.pressure(ch);
        if (pressure) twin.setPressure(pressure);
        this.board.setAnalog(ch.pin, (t) => twin.analog(t));
        this.byChannel.set(ch.id, twin);
        return;
      }
      case "synthetic":
        return;
    }
  }
}
