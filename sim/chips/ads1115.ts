import {
  CODE_MAX,
  CODE_MIN,
  CONFIG_DR_SHIFT,
  CONFIG_MODE_SINGLE,
  CONFIG_MUX_SHIFT,
  CONFIG_OS,
  CONFIG_PGA_SHIFT,
  CONFIG_RESET,
  DATA_RATE_SPS,
  PGA_FSR_V,
  REG_CONFIG,
  REG_CONVERSION,
  REG_HI_THRESH,
  REG_LO_THRESH,
  lsb_V,
} from "../../boards/chips/ads1115.ts";
import { nack, type SensorFault } from "./faults.ts";
import { gaussianAt, timeKey } from "./noise.ts";

/** Voltage at an input pin (V against GND) at a virtual time (s). */
export type InputSignal = (time_s: number) => number;

export interface Ads1115TwinOptions {
  /** RMS input-referred noise, V; 0 gives exact codes. */
  noise_V?: number;
  seed?: number;
}

/** Which pins the multiplexer puts on the + and − inputs, by MUX[2:0]; -1 is GND. */
const MUX_PINS: [number, number][] = [
  [0, 1],
  [0, 3],
  [1, 3],
  [2, 3],
  [0, -1],
  [1, -1],
  [2, -1],
  [3, -1],
];

/**
 * Register-level twin of the ADS1115 on a virtual I2C bus. Conversions in continuous mode complete
 * every 1/DR from the moment the config register was written; a read returns the last completed
 * one, quantised to the PGA's LSB and saturated like the real output code. A single-shot conversion
 * (OS = 1 with MODE = 1) completes 1/DR after it was started: until then OS reads 0 and the
 * conversion register keeps the previous result.
 *
 * Faults: `open` stops acknowledging the address; `short` shorts the selected inputs together (code
 * 0); `stuck` freezes the conversion register; `saturated` pins it at full scale.
 */
export class Ads1115Twin {
  readonly address: number;
  private pointer = REG_CONVERSION;
  private config = CONFIG_RESET;
  private loThresh = 0x8000;
  private hiThresh = 0x7fff;
  private conversionStart_s = 0;
  private singleShotConfig = CONFIG_RESET;
  private singleShotDone_s = -Infinity;
  private lastSingleShot = 0;
  private fault: SensorFault = "none";
  private stuckCode = 0;
  private readonly noise_V: number;
  private readonly seed: number;
  private readonly inputs: InputSignal[] = [() => 0, () => 0, () => 0, () => 0];

  constructor(address: number, options: Ads1115TwinOptions = {}) {
    this.address = address;
    this.noise_V = options.noise_V ?? 0;
    this.seed = options.seed ?? address;
  }

  setInput(pin: 0 | 1 | 2 | 3, signal: InputSignal): void {
    this.inputs[pin] = signal;
  }

  /** Voltage at an input pin now, as the multiplexer would see it. */
  inputVoltage_V(pin: 0 | 1 | 2 | 3, time_s: number): number {
    return this.inputs[pin]!(time_s);
  }

  setFault(fault: SensorFault, time_s = 0): void {
    if (fault === "stuck" && this.fault !== "stuck") this.stuckCode = this.conversionCode(time_s);
    this.fault = fault;
  }

  /** The output code a conversion finishing at time_s produces with a given configuration. */
  codeFor(config: number, time_s: number): number {
    if (this.fault === "saturated") return CODE_MAX;
    if (this.fault === "short") return 0;
    const [plus, minus] = MUX_PINS[(config >> CONFIG_MUX_SHIFT) & 7]!;
    let v = this.inputs[plus]!(time_s) - (minus < 0 ? 0 : this.inputs[minus]!(time_s));
    if (this.noise_V > 0) v += this.noise_V * gaussianAt(this.seed, timeKey(time_s));
    const code = Math.round(v / lsb_V(PGA_FSR_V[(config >> CONFIG_PGA_SHIFT) & 7]!));
    return Math.min(CODE_MAX, Math.max(CODE_MIN, code));
  }

  /** The output code a conversion finishing at time_s produces, from the current configuration. */
  codeAt(time_s: number): number {
    return this.codeFor(this.config, time_s);
  }

  /** Time a conversion takes at the configured data rate, s. */
  conversionTime_s(config = this.config): number {
    return 1 / DATA_RATE_SPS[(config >> CONFIG_DR_SHIFT) & 7]!;
  }

  /** Time at which the conversion a read at time_s returns was completed (continuous mode). */
  lastConversionTime(time_s: number): number {
    const period_s = this.conversionTime_s();
    const done = Math.floor((time_s - this.conversionStart_s) / period_s);
    return this.conversionStart_s + Math.max(done, 1) * period_s;
  }

  private conversionCode(time_s: number): number {
    if (this.fault === "stuck") return this.stuckCode;
    if ((this.config & CONFIG_MODE_SINGLE) === 0) return this.codeAt(this.lastConversionTime(time_s));
    if (this.singleShotDone_s > -Infinity && time_s >= this.singleShotDone_s) this.lastSingleShot = this.codeFor(this.singleShotConfig, this.singleShotDone_s);
    return this.lastSingleShot;
  }

  write(bytes: Uint8Array, time_s: number): void {
    if (this.fault === "open") throw nack("write");
    if (bytes.length === 0) return;
    this.pointer = bytes[0]! & 3;
    if (bytes.length < 3) return;
    const value = (bytes[1]! << 8) | bytes[2]!;
    if (this.pointer === REG_CONFIG) {
      // A finished single-shot result stays in the conversion register until the next one completes.
      if (time_s >= this.singleShotDone_s && this.singleShotDone_s > -Infinity) this.lastSingleShot = this.codeFor(this.singleShotConfig, this.singleShotDone_s);
      this.config = value & ~CONFIG_OS;
      this.conversionStart_s = time_s;
      if (value & CONFIG_OS && value & CONFIG_MODE_SINGLE) {
        this.singleShotConfig = this.config;
        this.singleShotDone_s = time_s + this.conversionTime_s();
      }
    } else if (this.pointer === REG_LO_THRESH) {
      this.loThresh = value;
    } else if (this.pointer === REG_HI_THRESH) {
      this.hiThresh = value;
    }
  }

  read(count: number, time_s: number): Uint8Array {
    if (this.fault === "open") throw nack("read");
    let value: number;
    if (this.pointer === REG_CONVERSION) {
      value = this.conversionCode(time_s) & 0xffff;
    } else if (this.pointer === REG_CONFIG) {
      // OS reads 1 when no conversion is running.
      const converting = (this.config & CONFIG_MODE_SINGLE) !== 0 && time_s < this.singleShotDone_s;
      value = converting ? this.config : this.config | CONFIG_OS;
    } else {
      value = this.pointer === REG_LO_THRESH ? this.loThresh : this.hiThresh;
    }
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = i % 2 === 0 ? (value >> 8) & 0xff : value & 0xff;
    return out;
  }
}
