import type { Calibration, NtcBetaCalibration, NtcSteinhartHartCalibration, RtdCvdCalibration } from "../schema/calibration.ts";

const KELVIN_AT_0_DEGC = 273.15;
/** Newton steps for the sub-zero branch of Callendar–Van Dusen: it converges to 1e-9 °C in three. */
const CVD_NEWTON_STEPS = 6;

/** RTD resistance, Ω, at a temperature, °C: IEC 60751 (C only below 0 °C). */
export function rtdResistance_ohm(t_degC: number, cal: Pick<RtdCvdCalibration, "r0_ohm" | "A" | "B" | "C">): number {
  const t = t_degC;
  const c = t < 0 ? cal.C : 0;
  return cal.r0_ohm * (1 + cal.A * t + cal.B * t * t + c * (t - 100) * t * t * t);
}

/**
 * Temperature, °C, of an RTD of resistance r_ohm. At and above R0 the quadratic has a closed form;
 * below, C adds a quartic term, solved by Newton's method from the quadratic's root.
 */
export function rtdTemperature_degC(r_ohm: number, cal: Pick<RtdCvdCalibration, "r0_ohm" | "A" | "B" | "C">): number {
  const { r0_ohm, A, B, C } = cal;
  let t = B === 0 ? (r_ohm / r0_ohm - 1) / A : (-A + Math.sqrt(A * A - 4 * B * (1 - r_ohm / r0_ohm))) / (2 * B);
  if (r_ohm >= r0_ohm || C === 0) return t;
  for (let i = 0; i < CVD_NEWTON_STEPS; i++) {
    const f = r0_ohm * (1 + A * t + B * t * t + C * (t - 100) * t * t * t) - r_ohm;
    const df = r0_ohm * (A + 2 * B * t + C * (4 * t * t * t - 300 * t * t));
    t -= f / df;
  }
  return t;
}

/** Thermistor resistance from the divider's code; NaN at the rails, where the divider tells nothing. */
export function ntcResistance_ohm(raw: number, cal: Pick<NtcBetaCalibration, "code_full_scale" | "series_ohm" | "ntc_position">): number {
  const ratio = raw / cal.code_full_scale;
  if (!(ratio > 0 && ratio < 1)) return Number.NaN;
  return cal.ntc_position === "low" ? (cal.series_ohm * ratio) / (1 - ratio) : (cal.series_ohm * (1 - ratio)) / ratio;
}

export function ntcBetaTemperature_degC(r_ohm: number, cal: Pick<NtcBetaCalibration, "r0_ohm" | "t0_degC" | "beta_K">): number {
  const inverse_K = 1 / (cal.t0_degC + KELVIN_AT_0_DEGC) + Math.log(r_ohm / cal.r0_ohm) / cal.beta_K;
  return 1 / inverse_K - KELVIN_AT_0_DEGC;
}

export function ntcSteinhartHartTemperature_degC(r_ohm: number, cal: Pick<NtcSteinhartHartCalibration, "A" | "B" | "C">): number {
  const ln = Math.log(r_ohm);
  return 1 / (cal.A + cal.B * ln + cal.C * ln * ln * ln) - KELVIN_AT_0_DEGC;
}

/** One raw code in the channel's physical unit. */
export function physicalValue(raw: number, cal: Calibration): number {
  switch (cal.kind) {
    case "linear":
      return cal.gain * raw + cal.offset;
    case "rtd_cvd":
      return rtdTemperature_degC((raw * cal.ref_ohm) / cal.code_full_scale, cal);
    case "ntc_beta":
      return ntcBetaTemperature_degC(ntcResistance_ohm(raw, cal), cal);
    case "ntc_steinhart_hart":
      return ntcSteinhartHartTemperature_degC(ntcResistance_ohm(raw, cal), cal);
  }
}

/** Raw codes to the channel's physical unit with the birth's calibration. */
export function toPhysical(raw: ArrayLike<number>, cal: Calibration): Float64Array {
  const values = new Float64Array(raw.length);
  if (cal.kind === "linear") {
    for (let i = 0; i < raw.length; i++) values[i] = cal.gain * raw[i]! + cal.offset;
  } else {
    for (let i = 0; i < raw.length; i++) values[i] = physicalValue(raw[i]!, cal);
  }
  return values;
}
