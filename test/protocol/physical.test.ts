import { describe, expect, it } from "vitest";
import { Compile } from "typebox/compile";
import {
  ntcBetaTemperature_degC,
  ntcResistance_ohm,
  physicalValue,
  rtdResistance_ohm,
  rtdTemperature_degC,
  toPhysical,
} from "../../protocol/decode/physical.ts";
import { Calibration, type RtdCvdCalibration } from "../../protocol/schema/calibration.ts";

/** IEC 60751 coefficients for platinum, α = 0.00385. */
const IEC = { A: 3.9083e-3, B: -5.775e-7, C: -4.183e-12 };
const PT100: RtdCvdCalibration = { kind: "rtd_cvd", ref_ohm: 400, r0_ohm: 100, ...IEC, code_full_scale: 32768 };
const PT1000: RtdCvdCalibration = { kind: "rtd_cvd", ref_ohm: 4000, r0_ohm: 1000, ...IEC, code_full_scale: 32768 };

describe("Callendar–Van Dusen (IEC 60751)", () => {
  it("matches the standard's table for a PT100 at 0, 100 and −50 °C", () => {
    expect(rtdResistance_ohm(0, PT100)).toBe(100);
    expect(rtdResistance_ohm(100, PT100)).toBeCloseTo(138.5055, 4);
    expect(rtdResistance_ohm(-50, PT100)).toBeCloseTo(80.3063, 4);
    expect(rtdResistance_ohm(-200, PT100)).toBeCloseTo(18.52, 2);
  });

  it("inverts exactly on both branches, C included below 0 °C", () => {
    for (const t of [-200, -50, -0.001, 0, 0.001, 25, 100, 850]) {
      expect(rtdTemperature_degC(rtdResistance_ohm(t, PT100), PT100)).toBeCloseTo(t, 9);
      expect(rtdTemperature_degC(rtdResistance_ohm(t, PT1000), PT1000)).toBeCloseTo(t, 9);
    }
  });

  it("turns a MAX31865 ratio code into °C within one code's quantisation", () => {
    for (const [cal, t] of [[PT100, 0], [PT100, 100], [PT100, -50], [PT1000, 0], [PT1000, 100], [PT1000, -50]] as const) {
      const code = Math.round((rtdResistance_ohm(t, cal) / cal.ref_ohm) * 32768);
      // One code is ref/2^15 ≈ 12.2 mΩ for a PT100: about 0.031 °C; half of it from rounding.
      const oneCode_degC = cal.ref_ohm / 32768 / (cal.r0_ohm * IEC.A);
      expect(Math.abs(physicalValue(code, cal) - t)).toBeLessThanOrEqual(oneCode_degC / 2 + 1e-6);
    }
    expect(physicalValue(8192, PT100)).toBeCloseTo(0, 12);
  });
});

describe("NTC thermistor in a divider", () => {
  const beta = { kind: "ntc_beta" as const, code_full_scale: 65535, series_ohm: 10000, ntc_position: "low" as const, r0_ohm: 10000, t0_degC: 25, beta_K: 3950 };

  it("reads R25 as 25 °C with the β model", () => {
    expect(ntcBetaTemperature_degC(10000, beta)).toBeCloseTo(25, 12);
    // Half scale in a divider with equal resistors is R25.
    expect(physicalValue(32767.5, beta)).toBeCloseTo(25, 9);
  });

  it("follows the β law away from 25 °C and the divider's side", () => {
    const r50 = 10000 * Math.exp(3950 * (1 / 323.15 - 1 / 298.15));
    expect(ntcBetaTemperature_degC(r50, beta)).toBeCloseTo(50, 9);
    const ratioLow = r50 / (r50 + 10000);
    expect(ntcResistance_ohm(ratioLow * 65535, beta)).toBeCloseTo(r50, 6);
    const high = { ...beta, ntc_position: "high" as const };
    expect(ntcResistance_ohm((1 - ratioLow) * 65535, high)).toBeCloseTo(r50, 6);
  });

  it("gives NaN at the rails (open or shorted divider)", () => {
    expect(physicalValue(0, beta)).toBeNaN();
    expect(physicalValue(65535, beta)).toBeNaN();
  });

  it("Steinhart–Hart with C = 0 is the β model, and a fitted C reproduces its points", () => {
    const T0 = 298.15;
    const sh = { kind: "ntc_steinhart_hart" as const, code_full_scale: 65535, series_ohm: 10000, ntc_position: "low" as const, A: 1 / T0 - Math.log(10000) / 3950, B: 1 / 3950, C: 0 };
    for (const r of [1000, 10000, 32000]) expect(physicalValue((r / (r + 10000)) * 65535, sh)).toBeCloseTo(ntcBetaTemperature_degC(r, beta), 9);
    // A 10 kΩ thermistor's table points at 0, 25 and 50 °C: 32650, 10000 and 3603 Ω.
    const points = [[32650, 273.15], [10000, 298.15], [3603, 323.15]] as const;
    const L = points.map(([r]) => Math.log(r));
    const Y = points.map(([, t]) => 1 / t);
    const g2 = (Y[1]! - Y[0]!) / (L[1]! - L[0]!);
    const g3 = (Y[2]! - Y[0]!) / (L[2]! - L[0]!);
    const C = (g3 - g2) / (L[2]! - L[1]!) / (L[0]! + L[1]! + L[2]!);
    const B = g2 - C * (L[0]! * L[0]! + L[0]! * L[1]! + L[1]! * L[1]!);
    const A = Y[0]! - (B + L[0]! * L[0]! * C) * L[0]!;
    const fitted = { ...sh, A, B, C };
    for (const [r, t] of points) expect(physicalValue((r / (r + 10000)) * 65535, fitted)).toBeCloseTo(t - 273.15, 6);
  });
});

describe("calibration schema", () => {
  const check = Compile(Calibration);

  it("accepts every kind and refuses unknown kinds and non-finite numbers", () => {
    expect(check.Check({ kind: "linear", gain: 1, offset: 0 })).toBe(true);
    expect(check.Check(PT100)).toBe(true);
    expect(check.Check({ kind: "ntc_beta", code_full_scale: 65535, series_ohm: 10000, ntc_position: "high", r0_ohm: 10000, t0_degC: 25, beta_K: 3950 })).toBe(true);
    expect(check.Check({ kind: "polynomial", coefficients: [1, 2] })).toBe(false);
    expect(check.Check({ ...PT100, ref_ohm: Number.POSITIVE_INFINITY })).toBe(false);
    expect(check.Check({ ...PT100, ref_ohm: 0 })).toBe(false);
  });

  it("converts whole blocks, linear or not", () => {
    expect(Array.from(toPhysical([8192, 11346], PT100))).toEqual([physicalValue(8192, PT100), physicalValue(11346, PT100)]);
    expect(Array.from(toPhysical([1, -2], { kind: "linear", gain: 0.5, offset: 3 }))).toEqual([3.5, 2]);
  });
});
