import { describe, expect, it } from "vitest";
import { hysteresisLoop } from "../../../host/analysis/loop.ts";
import { curvatureSeries_per_m, psdPosition_m, psdSpots, quadrantPosition_m } from "../../../host/analysis/optics.ts";
import { segmentRun } from "../../../host/analysis/steps.ts";
import { compensateTemperature, cycleStress, filmStress_Pa, fitThermalCoefficient, restBaseline, stressThicknessSeries_N_per_m } from "../../../host/analysis/stress.ts";

describe("photodiodes to spot positions", () => {
  it("computes a lateral PSD position and a quadrant position", () => {
    expect(psdPosition_m(1, 3, 0.01)).toBeCloseTo(0.0025, 15);
    const q = quadrantPosition_m(4, 1, 2, 3, 1e-3);
    expect(q.x_m).toBeCloseTo((7 - 3) / 10 * 1e-3, 15);
    expect(q.y_m).toBeCloseTo((5 - 5) / 10 * 1e-3, 15);
  });

  it("marks positions from a low optical sum or a saturated electrode invalid", () => {
    const spots = psdSpots(new Float64Array([1, 0.05, 4.9, 1]), new Float64Array([1, 0.05, 1, 2]), 0.01, { minSum_V: 0.5, saturation_V: 4.8 });
    expect(Array.from(spots.lowSum)).toEqual([0, 1, 0, 0]);
    expect(Array.from(spots.saturated)).toEqual([0, 0, 1, 0]);
    expect(spots.position_m[0]).toBe(0);
    expect(spots.position_m[1]).toBeNaN();
    expect(spots.position_m[2]).toBeNaN();
    expect(spots.position_m[3]).toBeCloseTo(0.005 / 3, 15);
  });
});

describe("stress from curvature", () => {
  const substrate = { youngsModulus_Pa: 64e9, poissonRatio: 0.2, thickness_m: 155e-6 };
  const geometry = { refractiveIndex: 1.42, detectorDistance_m: 0.208, beamSpacing_m: 0.005 };

  it("turns a spot-separation change into stress-thickness and stress", () => {
    const spot1 = new Float64Array([0, 0]);
    const spot2 = new Float64Array([1e-3, 1e-3 + 2.9536e-6]);
    const kappa = curvatureSeries_per_m(spot1, spot2, 1e-3, geometry);
    expect(kappa[0]).toBe(0);
    expect(kappa[1]).toBeCloseTo(1e-3, 12);
    const sigmaH = stressThicknessSeries_N_per_m(kappa, substrate);
    expect(sigmaH[1]).toBeCloseTo(0.32033333, 7);
    expect(filmStress_Pa(sigmaH[1], 1e-6)).toBeCloseTo(320333.33, 1);
  });

  it("fits the thermal coefficient from rest periods at different levels and removes it", () => {
    // Three rests at different stress levels with temperature wobbling; coefficient 0.05 N/m/K.
    const n = 3000;
    const time_s = Float64Array.from({ length: n }, (_, i) => i * 10);
    const current_A = new Float64Array(n);
    const temperature_K = new Float64Array(n);
    const sigma = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const block = Math.floor(i / 500);
      current_A[i] = block % 2 === 1 ? (block === 1 ? 1e-3 : -1e-3) : 0;
      temperature_K[i] = 298 + 2 * Math.sin(i / 37);
      const level = block === 0 ? 0 : block < 3 ? -1 : -0.2;
      sigma[i] = level + 0.05 * (temperature_K[i] - 298);
    }
    const seg = segmentRun(time_s, current_A, { restThreshold_A: 1e-5, minDuration_s: 60, storing: "charge" });
    const thermal = fitThermalCoefficient(sigma, temperature_K, seg.steps);
    expect(thermal.coefficient_per_K).toBeCloseTo(0.05, 12);
    expect(thermal.restPeriods).toBe(3);
    const compensated = compensateTemperature(sigma, temperature_K, thermal.coefficient_per_K, 298);
    expect(compensated[1234]).toBeCloseTo(-1, 12);
    expect(restBaseline(compensated, seg.steps).value).toBeCloseTo(0, 12);
  });

  it("splits a cycle into reversible amplitude and irreversible drift, and traces the loop against potential", () => {
    const n = 7201;
    const time_s = Float64Array.from({ length: n }, (_, i) => i * 10);
    const current_A = Float64Array.from({ length: n }, (_, i) => (i <= 3600 ? -1e-3 : 1e-3));
    const voltage_V = Float64Array.from({ length: n }, (_, i) => (i <= 3600 ? 1 - i / 3600 : (i - 3600) / 3600));
    // Compressive on sodiation, 0.4 N/m deeper going down than coming back, plus 0.1 N/m that stays.
    const sigma = Float64Array.from({ length: n }, (_, i) => {
      const depth = i <= 3600 ? -2 * Math.sin((Math.PI * i) / 7200) - 0.4 * Math.sin((Math.PI * i) / 3600) : -2 * Math.sin((Math.PI * i) / 7200);
      return depth - (0.1 * i) / 7200;
    });
    const seg = segmentRun(time_s, current_A, { restThreshold_A: 1e-5, minDuration_s: 60, storing: "discharge" });
    const [cycle] = cycleStress(time_s, sigma, seg.cycles, { endpointWindow_s: 10 });
    expect(cycle.irreversibleDrift_N_per_m).toBeCloseTo(-0.1, 3);
    expect(cycle.reversibleAmplitude_N_per_m).toBeGreaterThan(2);
    const loop = hysteresisLoop(voltage_V, sigma, seg.cycles[0], { step: 0.05 });
    const mid = loop.x.findIndex((x) => Math.abs(x - 0.525) < 1e-9);
    expect(loop.opening[mid]).toBeLessThan(-0.3);
  });
});
