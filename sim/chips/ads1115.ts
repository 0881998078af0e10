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

/** Voltage at an input pin (V against GND) at a virtual time (s). */
export type InputSignal = (time_s: number) => number;

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
 * one, quantised to the PGA's LSB and saturated like the real output code.
 */
export class Ads1115Twin {
  readonly address: number;
  private pointer = REG_CONVERSION;
  private config = CONFIG_RESET;
  private loThresh = 0x8000;
  private hiThresh = 0x7fff;
  private conversionStart_s = 0;
  private singleShotCode = 0;
  private readonly inputs: InputSignal[] = [() => 0, () => 0, () => 0, () => 0];

  constructor(address: number) {
    this.address = address;
  }

  setInput(pin: 0 | 1 | 2 | 3, signal: InputSignal): void {
    this.inputs[pin] = signal;
  }

  /** The output code a conversion finishing at time_s produces, from the current configuration. */
  codeAt(time_s: number): number {
    const [plus, minus] = MUX_PINS[(this.config >> CONFIG_MUX_SHIFT) & 7]!;
    const v = this.inputs[plus]!(time_s) - (minus < 0 ? 0 : this.inputs[minus]!(time_s));
    const code = Math.round(v / lsb_V(PGA_FSR_V[(this.config >> CONFIG_PGA_SHIFT) & 7]!));
    return Math.min(CODE_MAX, Math.max(CODE_MIN, code));
  }

  /** Time at which the conversion a read at time_s returns was completed (continuous mode). */
  lastConversionTime(time_s: number): number {
    const period_s = 1 / DATA_RATE_SPS[(this.config >> CONFIG_DR_SHIFT) & 7]!;
    const done = Math.floor((time_s - this.conversionStart_s) / period_s);
    return this.conversionStart_s + Math.max(done, 1) * period_s;
  }

  write(bytes: Uint8Array, time_s: number): void {
    if (bytes.length === 0) return;
    this.pointer = bytes[0]! & 3;
    if (bytes.length < 3) return;
    const value = (bytes[1]! << 8) | bytes[2]!;
    if (this.pointer === REG_CONFIG) {
      this.config = value & ~CONFIG_OS;
      this.conversionStart_s = time_s;
      if (value & CONFIG_OS && value & CONFIG_MODE_SINGLE) this.singleShotCode = this.codeAt(time_s);
    } else if (this.pointer === REG_LO_THRESH) {
      this.loThresh = value;
    } else if (this.pointer === REG_HI_THRESH) {
      this.hiThresh = value;
    }
  }

  read(count: number, time_s: number): Uint8Array {
    let value: number;
    if (this.pointer === REG_CONVERSION) {
      const continuous = (this.config & CONFIG_MODE_SINGLE) === 0;
      value = continuous ? this.codeAt(this.lastConversionTime(time_s)) : this.singleShotCode;
    } else if (this.pointer === REG_CONFIG) {
      // OS reads 1 when no conversion is running.
      value = this.config | CONFIG_OS;
    } else {
      value = this.pointer === REG_LO_THRESH ? this.loThresh : this.hiThresh;
    }
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = i % 2 === 0 ? (value >> 8) & 0xff : value & 0xff;
    return out;
  }
}
