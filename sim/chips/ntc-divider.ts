import { DEFAULT_ADC_BITS } from "../../boards/chips/analog-pin.ts";
import type { SensorFault } from "./faults.ts";
import { gaussianAt, timeKey } from "./noise.ts";

/** β model (R = R0·exp(β(1/T − 1/T0))) or Steinhart–Hart coefficients (T in K, R in Ω). */
export type NtcModel = { r0_ohm: number; t0_degC: number; beta_K: number } | { A: number; B: number; C: number };

export interface NtcDividerOptions {
  series_ohm: number;
  /** `low`: thermistor between pin and ground; `high`: between supply and pin. */
  ntc_position: "low" | "high";
  model: NtcModel;
  /** Resolution of the board's ADC, bits. */
  adcBits?: number;
  /** RMS noise at the pin, as a fraction of full scale. */
  noise?: number;
  seed?: number;
}

const KELVIN_AT_0_DEGC = 273.15;

/** Thermistor resistance at a temperature, Ω: β directly; Steinhart–Hart by Cardano's solution of its cubic in ln R. */
export function ntcResistance_ohm(model: NtcModel, t_degC: number): number {
  const t_K = t_degC + KELVIN_AT_0_DEGC;
  if ("beta_K" in model) return model.r0_ohm * Math.exp(model.beta_K * (1 / t_K - 1 / (model.t0_degC + KELVIN_AT_0_DEGC)));
  if (model.C === 0) return Math.exp((1 / t_K - model.A) / model.B);
  const y = (model.A - 1 / t_K) / model.C;
  const x = Math.sqrt(Math.pow(model.B / (3 * model.C), 3) + (y * y) / 4);
  return Math.exp(Math.cbrt(x - y / 2) - Math.cbrt(x + y / 2));
}

/**
 * A thermistor in a divider on an analog pin, referenced to the ADC's supply: the pin sees
 * R_ntc/(R_ntc + R_s) (thermistor low) or R_s/(R_ntc + R_s) (thermistor high), quantised to the ADC.
 *
 * Faults: `open` (thermistor open: the pin goes to the rail on the thermistor's far side), `short`
 * (the opposite rail), `stuck` (the reading freezes), `saturated` (the pin at full scale).
 */
export class NtcDivider {
  private readonly opts: NtcDividerOptions;
  private temperature_degC: (time_s: number) => number = () => 25;
  private fault: SensorFault = "none";
  private stuckValue = 0;

  constructor(opts: NtcDividerOptions) {
    this.opts = opts;
  }

  setTemperature(signal: (time_s: number) => number): void {
    this.temperature_degC = signal;
  }

  setFault(fault: SensorFault, time_s = 0): void {
    if (fault === "stuck" && this.fault !== "stuck") this.stuckValue = this.analog(time_s);
    this.fault = fault;
  }

  /** What analogRead returns at time_s: a fraction of full scale on the ADC's steps. */
  analog(time_s: number): number {
    const o = this.opts;
    if (this.fault === "stuck") return this.stuckValue;
    if (this.fault === "saturated") return 1;
    const low = o.ntc_position === "low";
    if (this.fault === "open") return low ? 1 : 0;
    if (this.fault === "short") return low ? 0 : 1;
    const r = ntcResistance_ohm(o.model, this.temperature_degC(time_s));
    let ratio = low ? r / (r + o.series_ohm) : o.series_ohm / (r + o.series_ohm);
    if (o.noise) ratio += o.noise * gaussianAt(o.seed ?? 7, timeKey(time_s));
    const steps = Math.pow(2, o.adcBits ?? DEFAULT_ADC_BITS) - 1;
    return Math.min(steps, Math.max(0, Math.round(ratio * steps))) / steps;
  }
}
