import { describe, expect, it } from "vitest";
import { cycleCapacities, halfCycleCapacity } from "../../../host/analysis/capacity.ts";
import { checkCyclerCapacity } from "../../../host/analysis/cycler-check.ts";
import { integrateTrapezoid } from "../../../host/analysis/integrate.ts";
import { segmentRun } from "../../../host/analysis/steps.ts";
import { piecewiseRun } from "./synthetic.ts";

const segmentOptions = { restThreshold_A: 1e-4, minDuration_s: 30, storing: "charge" as const };

describe("capacity", () => {
  it("integrates a constant-current cycle exactly", () => {
    // 2 h rest, 5 h charge at 0.7 mA, 10 min rest, 5 h discharge at 0.7 mA: 3.5 mAh each way.
    const run = piecewiseRun(
      [
        { current_A: 0, duration_s: 7200 },
        { current_A: 7e-4, duration_s: 18000 },
        { current_A: 0, duration_s: 600 },
        { current_A: -7e-4, duration_s: 18000 },
      ],
      10,
    );
    const seg = segmentRun(run.time_s, run.current_A, segmentOptions);
    expect(seg.halfCycles.map((h) => h.direction)).toEqual(["charge", "discharge"]);
    const [cycle] = cycleCapacities(run.time_s, run.current_A, run.voltage_V, seg.cycles, { maxGap_s: 60, activeMass_g: 0.0125 });
    expect(cycle.in?.capacity_mAh).toBeCloseTo(3.5, 12);
    expect(cycle.out?.capacity_mAh).toBeCloseTo(3.5, 12);
    expect(cycle.in?.specificCapacity_mAh_per_g).toBeCloseTo(280, 9);
    expect(cycle.coulombicEfficiency).toBeCloseTo(1, 12);
    expect(cycle.in?.basis).toEqual({ samplesUsed: 1801, samplesExcluded: 0, timeCovered_s: 18000, timeExcluded_s: 0 });
    // Voltage ramps linearly with charge from 3.5 V by 1e-4 V/C over 12.6 C: mean 3.5 + 0.00063 V.
    expect(cycle.in?.meanVoltage_V).toBeCloseTo(3.50063, 9);
    expect(cycle.out?.meanVoltage_V).toBeCloseTo(3.50063, 9);
    expect(cycle.hysteresis_V).toBeCloseTo(0, 9);
    expect(cycle.in?.energy_Wh).toBeCloseTo((12.6 * 3.50063) / 3600, 12);
  });

  it("gives CE exactly for a known charge loss, cumulative CE and retention", () => {
    // Half-cell convention: discharge (sodiation) stores charge. In 4 mAh, out 3.96 mAh then 3.92 mAh.
    const run = piecewiseRun(
      [
        { current_A: -1e-3, duration_s: 14400 },
        { current_A: 0, duration_s: 300 },
        { current_A: 1.1e-3, duration_s: 12960 },
        { current_A: 0, duration_s: 300 },
        { current_A: -1e-3, duration_s: 14400 },
        { current_A: 0, duration_s: 300 },
        { current_A: 0.98e-3, duration_s: 14400 },
      ],
      5,
    );
    const seg = segmentRun(run.time_s, run.current_A, { ...segmentOptions, storing: "discharge" });
    const cycles = cycleCapacities(run.time_s, run.current_A, run.voltage_V, seg.cycles, { maxGap_s: 60 });
    expect(cycles).toHaveLength(2);
    expect(cycles[0].in?.direction).toBe("discharge");
    expect(cycles[0].coulombicEfficiency_percent).toBeCloseTo(99, 10);
    expect(cycles[1].coulombicEfficiency_percent).toBeCloseTo(98, 10);
    expect(cycles[1].cumulativeCoulombicEfficiency).toBeCloseTo(0.99 * 0.98, 12);
    expect(cycles[1].retention).toBeCloseTo(3.92 / 3.96, 12);
  });

  it("does not integrate across a gap longer than the limit and says how much time it left out", () => {
    const time_s = new Float64Array([0, 10, 20, 30, 1030, 1040, 1050]);
    const current_A = new Float64Array(7).fill(2);
    const result = integrateTrapezoid(time_s, current_A, { start: 0, end: 6, maxGap_s: 60 });
    expect(result.integral).toBe(2 * 50);
    expect(result.basis).toEqual({ samplesUsed: 7, samplesExcluded: 0, timeCovered_s: 50, timeExcluded_s: 1000 });
  });

  it("leaves flagged samples out and bridges them when their neighbours are close", () => {
    const time_s = new Float64Array([0, 10, 20, 30, 40]);
    const current_A = new Float64Array([1, 1, 1000, 1, 1]);
    const exclude = new Uint8Array([0, 0, 1, 0, 0]);
    const result = integrateTrapezoid(time_s, current_A, { start: 0, end: 4, maxGap_s: 60, exclude });
    expect(result.integral).toBe(40);
    expect(result.basis.samplesExcluded).toBe(1);
    expect(result.basis.timeCovered_s).toBe(40);
  });

  it("reports the cycler's capacity counter beside the integrated capacity", () => {
    const run = piecewiseRun(
      [
        { current_A: 0.5, duration_s: 3600 },
        { current_A: -0.5, duration_s: 3600 },
      ],
      1,
    );
    // A counter that runs from the start of the test and reads 1 % high.
    const charging = new Float64Array(run.time_s.length);
    const discharging = new Float64Array(run.time_s.length);
    let q = 0;
    let d = 0;
    for (let i = 1; i < run.time_s.length; i++) {
      const dq = (run.current_A[i] * (run.time_s[i] - run.time_s[i - 1]) * 1.01) / 3600;
      if (run.current_A[i] > 0) q += dq;
      else d -= dq;
      charging[i] = q;
      discharging[i] = d;
    }
    const seg = segmentRun(run.time_s, run.current_A, segmentOptions);
    const halves = seg.halfCycles.map((h) => halfCycleCapacity(run.time_s, run.current_A, run.voltage_V, h, { maxGap_s: 60 }));
    const checks = checkCyclerCapacity({ charging_capacity_ampere_hour: charging, discharging_capacity_ampere_hour: discharging }, seg.halfCycles, halves);
    expect(checks.map((c) => c.column)).toEqual(["charging_capacity_ampere_hour", "discharging_capacity_ampere_hour"]);
    expect(checks[0].integrated_mAh).toBeCloseTo(500, 9);
    expect(checks[0].cycler_mAh).toBeCloseTo(505, 9);
    expect(checks[0].difference_percent).toBeCloseTo(-0.990099, 5);
    expect(checks[1].cycler_mAh).toBeCloseTo(505 + (0.5 * 1e-3 * 1.01) / 3.6, 6);
  });
});
