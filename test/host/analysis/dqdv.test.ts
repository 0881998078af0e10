import { describe, expect, it } from "vitest";
import { dqdvHistogram, dqdvInterpolated, peakVoltage_V } from "../../../host/analysis/dqdv.ts";
import { segmentRun } from "../../../host/analysis/steps.ts";

/**
 * A known open-circuit curve: 60 % of the capacity on a plateau centred at 0.1 V (a logistic step
 * 4 mV wide), the rest spread evenly between 0.01 V and 1.0 V. Q(V) is known in closed form, so a
 * discharge (sodiation) at constant current gives V(t) by inverting it.
 */
const PLATEAU_V = 0.1;
const Q_TOTAL_As = 3.6 * 3; // 3 mAh
function charge_As(v: number): number {
  const plateau = 1 / (1 + Math.exp(-(v - PLATEAU_V) / 0.004));
  const slope = (v - 0.01) / (1.0 - 0.01);
  return Q_TOTAL_As * (0.6 * plateau + 0.4 * slope);
}
function voltageAt(q_As: number): number {
  let lo = 0.0;
  let hi = 1.05;
  for (let k = 0; k < 80; k++) {
    const mid = 0.5 * (lo + hi);
    if (charge_As(mid) < q_As) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

function dischargeRun(noise_V: number) {
  const current_A = -3e-4; // 10 h
  const q0 = charge_As(1.0);
  const q1 = charge_As(0.01);
  const duration_s = (q0 - q1) / -current_A;
  const n = Math.floor(duration_s / 2) + 1;
  const time_s = new Float64Array(n);
  const current = new Float64Array(n).fill(current_A);
  const voltage_V = new Float64Array(n);
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  for (let i = 0; i < n; i++) {
    time_s[i] = 2 * i;
    voltage_V[i] = voltageAt(q0 + current_A * time_s[i]) + noise_V * random();
  }
  return { time_s, current_A: current, voltage_V };
}

describe("dQ/dV", () => {
  it("puts the peak of a plateau at the plateau voltage within the smoothing width, and reports the width", () => {
    const run = dischargeRun(0.5e-3);
    const seg = segmentRun(run.time_s, run.current_A, { restThreshold_A: 1e-5, minDuration_s: 60, storing: "discharge" });
    const half = seg.halfCycles[0];
    const result = dqdvInterpolated(run.time_s, run.current_A, run.voltage_V, half, { maxGap_s: 60 });
    expect(result.smoothingFwhm_V).toBe(0.01);
    expect(result.method).toBe("interpolate_invert");
    expect(result.direction).toBe("discharge");
    expect(Math.abs(peakVoltage_V(result) - PLATEAU_V)).toBeLessThan(result.smoothingFwhm_V);
    // The area under dQ/dV is the half-cycle's capacity.
    let area_mAh = 0;
    for (const value of result.dQdV_mAh_per_V) area_mAh += value * result.voltageStep_V;
    expect(area_mAh).toBeCloseTo((charge_As(1.0) - charge_As(0.01)) / 3.6, 1);
    expect(result.basis.samplesUsed).toBe(run.time_s.length);
  });

  it("finds the same peak with the histogram method", () => {
    const run = dischargeRun(0);
    const seg = segmentRun(run.time_s, run.current_A, { restThreshold_A: 1e-5, minDuration_s: 60, storing: "discharge" });
    const result = dqdvHistogram(run.time_s, run.current_A, run.voltage_V, seg.halfCycles[0], { maxGap_s: 60, smoothingFwhm_V: 0.005 });
    expect(result.method).toBe("histogram");
    expect(result.smoothingFwhm_V).toBe(0.005);
    expect(Math.abs(peakVoltage_V(result) - PLATEAU_V)).toBeLessThan(0.005);
  });
});
