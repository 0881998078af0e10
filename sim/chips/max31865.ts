import {
  AUTO_CONVERSION_S,
  CODE_FULL_SCALE,
  CODE_MAX,
  CONFIG_AUTO,
  CONFIG_FAULT_CLEAR,
  CONFIG_FILTER_50HZ,
  CONFIG_ONE_SHOT,
  CONFIG_VBIAS,
  FAULT_OVER_UNDER_VOLTAGE,
  FAULT_RTD_HIGH,
  FAULT_RTD_LOW,
  ONE_SHOT_CONVERSION_S,
  REG_CONFIG,
  REG_FAULT_STATUS,
  REG_HIGH_FAULT_MSB,
  REG_LOW_FAULT_MSB,
  REG_RTD_MSB,
  REGISTER_COUNT,
  RESET_VALUES,
  WRITE,
} from "../../boards/chips/max31865.ts";
import { rtdResistance_ohm } from "../../protocol/decode/physical.ts";
import type { SensorFault } from "./faults.ts";
import { gaussianAt, timeKey } from "./noise.ts";

export interface Max31865TwinOptions {
  /** Reference resistor on the board, Ω (400 for PT100, 4000 for PT1000). */
  ref_ohm: number;
  /** RTD resistance at 0 °C, Ω. */
  r0_ohm: number;
  /** Callendar–Van Dusen coefficients; IEC 60751 platinum when omitted. */
  A?: number;
  B?: number;
  C?: number;
  /** RMS noise of the measured resistance, Ω. */
  noise_ohm?: number;
  seed?: number;
}

const IEC_60751 = { A: 3.9083e-3, B: -5.775e-7, C: -4.183e-12 };

/**
 * Register-level twin of the MAX31865 on a virtual SPI bus. Physics sets the RTD's temperature; the
 * twin turns it into resistance (Callendar–Van Dusen) and, with bias on in automatic mode, a ratio
 * code R/R_REF · 2^15 every 16.7 or 20 ms, saturating at 0x7FFF. Codes above the high or below the
 * low threshold set the fault bit and the fault status, which the fault-clear bit clears.
 *
 * Faults: `open` (RTD open: the ratio reads full scale), `short` (RTD shorted: code 0), `stuck` (the
 * RTD register freezes), `saturated` (input over-voltage: full scale and the over/under-voltage bit).
 * To take the chip off the bus, do not attach it: MISO then floats high.
 */
export class Max31865Twin {
  readonly cs: string;
  private readonly opts: Max31865TwinOptions;
  private readonly regs = RESET_VALUES.slice();
  private configured_s = 0;
  private oneShotDone_s = Infinity;
  private faultStatus = 0;
  private fault: SensorFault = "none";
  private stuckCode = 0;
  private temperature_degC: (time_s: number) => number = () => 25;
  /** The last conversion's code and when it completed. */
  private code = 0;
  private codeDone_s = NaN;

  constructor(cs: string, opts: Max31865TwinOptions) {
    this.cs = cs;
    this.opts = opts;
  }

  setTemperature(signal: (time_s: number) => number): void {
    this.temperature_degC = signal;
    this.codeDone_s = NaN;
  }

  setFault(fault: SensorFault, time_s = 0): void {
    if (fault === "stuck" && this.fault !== "stuck") this.stuckCode = this.rtdCode(time_s);
    this.fault = fault;
  }

  /** Resistance the chip measures at time_s, Ω. */
  resistance_ohm(time_s: number): number {
    const o = this.opts;
    const r = rtdResistance_ohm(this.temperature_degC(time_s), { r0_ohm: o.r0_ohm, A: o.A ?? IEC_60751.A, B: o.B ?? IEC_60751.B, C: o.C ?? IEC_60751.C });
    return r + (o.noise_ohm ?? 0) * gaussianAt(o.seed ?? 31865, timeKey(time_s));
  }

  /** The 15-bit ratio code of the conversion that is current at time_s. */
  rtdCode(time_s: number): number {
    if (this.fault === "stuck") return this.stuckCode;
    const config = this.regs[REG_CONFIG]!;
    if ((config & CONFIG_VBIAS) === 0) return 0;
    let done_s: number;
    if (config & CONFIG_AUTO) {
      const period_s = AUTO_CONVERSION_S[config & CONFIG_FILTER_50HZ ? 50 : 60]!;
      const k = Math.floor((time_s - this.configured_s) / period_s);
      if (k < 1) return 0;
      done_s = this.configured_s + k * period_s;
    } else if (time_s >= this.oneShotDone_s) {
      done_s = this.oneShotDone_s;
    } else {
      return 0;
    }
    if (this.fault === "open" || this.fault === "saturated") return CODE_MAX;
    if (this.fault === "short") return 0;
    // One register read asks for the code several times (MSB, LSB, fault status): convert once per conversion.
    if (done_s !== this.codeDone_s) {
      const code = Math.round((this.resistance_ohm(done_s) / this.opts.ref_ohm) * CODE_FULL_SCALE);
      this.code = Math.min(CODE_MAX, Math.max(0, code));
      this.codeDone_s = done_s;
    }
    return this.code;
  }

  private threshold(msb: number): number {
    return ((this.regs[msb]! << 8) | this.regs[msb + 1]!) >> 1;
  }

  /** Whether a conversion has completed since bias and mode were set. */
  private converted(time_s: number): boolean {
    const config = this.regs[REG_CONFIG]!;
    if (this.fault === "stuck") return true;
    if ((config & CONFIG_VBIAS) === 0) return false;
    if (config & CONFIG_AUTO) return time_s - this.configured_s >= AUTO_CONVERSION_S[config & CONFIG_FILTER_50HZ ? 50 : 60]!;
    return time_s >= this.oneShotDone_s;
  }

  /** Fault status at time_s: threshold faults of the current conversion, latched until cleared. */
  private status(time_s: number): number {
    if (this.converted(time_s)) {
      const code = this.rtdCode(time_s);
      if (code > this.threshold(REG_HIGH_FAULT_MSB)) this.faultStatus |= FAULT_RTD_HIGH;
      if (code < this.threshold(REG_LOW_FAULT_MSB)) this.faultStatus |= FAULT_RTD_LOW;
    }
    if (this.fault === "saturated") this.faultStatus |= FAULT_OVER_UNDER_VOLTAGE;
    return this.faultStatus;
  }

  private readRegister(address: number, time_s: number): number {
    if (address === REG_RTD_MSB || address === REG_RTD_MSB + 1) {
      const word = (this.rtdCode(time_s) << 1) | (this.status(time_s) !== 0 ? 1 : 0);
      return address === REG_RTD_MSB ? word >> 8 : word & 0xff;
    }
    if (address === REG_FAULT_STATUS) return this.status(time_s);
    return this.regs[address]!;
  }

  private writeRegister(address: number, value: number, time_s: number): void {
    if (address === REG_CONFIG) {
      if (value & CONFIG_FAULT_CLEAR) this.faultStatus = 0;
      if (value & CONFIG_ONE_SHOT) this.oneShotDone_s = time_s + ONE_SHOT_CONVERSION_S[value & CONFIG_FILTER_50HZ ? 50 : 60]!;
      // Fault-clear and one-shot clear themselves.
      this.regs[REG_CONFIG] = value & ~(CONFIG_FAULT_CLEAR | CONFIG_ONE_SHOT);
      this.configured_s = time_s;
    } else if (address >= REG_HIGH_FAULT_MSB && address < REG_FAULT_STATUS) {
      this.regs[address] = value;
    }
  }

  transfer(mosi: Uint8Array, time_s: number): Uint8Array {
    const miso = new Uint8Array(mosi.length);
    if (mosi.length === 0) return miso;
    const write = (mosi[0]! & WRITE) !== 0;
    let address = mosi[0]! & 0x7f;
    // The address auto-increments through the registers on longer transfers.
    for (let i = 1; i < mosi.length; i++, address = (address + 1) % REGISTER_COUNT) {
      if (write) this.writeRegister(address, mosi[i]!, time_s);
      else miso[i] = this.readRegister(address, time_s);
    }
    return miso;
  }
}
