import { describe, expect, it } from "vitest";
import { createCell, lateralEffectPosition_m, loadPreset, spotSeparationChange_m, stoneyFactor_N } from "../../../sim/physics/index.ts";
import { column, maxOf, minOf, runWithGroundTruth } from "./run.ts";

const reference = loadPreset("hard-carbon-stress");
const stress = reference.Stress!;
const optics = reference.Optics!;

/** Faster than the rig's 10 mA/g so a test covers two full cycles; the relations checked do not depend on rate. */
const fast = {
  "Time step [s]": 0.5,
  Protocol: {
    "Number of cycles [1]": 2,
    Steps: [
      { "Specific current [mA/g]": -200, "Lower voltage cut-off [V]": 0.005 },
      { "Rest [s]": 600 },
      { "Specific current [mA/g]": 200, "Upper voltage cut-off [V]": 2.0 },
      { "Rest [s]": 600 },
    ],
  },
  Optics: { "Signal losses": [{ "Start [s]": 3000, "Duration [s]": 120, "Transmission [1]": 0.25, Beams: "second" as const }] },
};

describe("Stoney and the optical lever with the reference rig's values", () => {
  const factor_N = stoneyFactor_N(stress["Substrate Young's modulus [Pa]"], stress["Substrate thickness [m]"], stress["Substrate Poisson ratio [1]"]);

  it("uses E·h²/(6(1 − ν)) ≈ 320 N for 155 µm borosilicate", () => {
    expect(factor_N).toBe((64e9 * 155e-6 * 155e-6) / (6 * (1 - 0.2)));
    expect(factor_N).toBeCloseTo(320.33, 2);
  });

  it("turns κ = 1e-3 m⁻¹ into about 0.32 N/m and a 3 µm spot separation change", () => {
    // d is the distance between the two beams on the cantilever, from the preset: 11.5 mm − 6.5 mm = 5 mm.
    const d_m = optics["Second beam distance from clamp [m]"] - optics["First beam distance from clamp [m]"];
    expect(d_m).toBeCloseTo(5e-3, 12);
    expect(factor_N * 1e-3).toBeCloseTo(0.32, 2);
    const ds_m = spotSeparationChange_m(1e-3, optics["Electrolyte refractive index [1]"], optics["Detector distance [m]"], d_m);
    expect(ds_m).toBe(2 * 1.42 * 0.208 * d_m * 1e-3);
    expect(ds_m).toBeGreaterThan(2.9e-6);
    expect(ds_m).toBeLessThan(3.0e-6);
  });

  it("reads a spot position back from lateral-effect currents", () => {
    expect(lateralEffectPosition_m(1e-4, 3e-4, 6e-3)).toBeCloseTo(1.5e-3, 15);
  });
});

describe("hard-carbon-stress ground truth", () => {
  const { cell, truth } = runWithGroundTruth("hard-carbon-stress", fast, 40_000);
  const sigma = column(truth, "stress_thickness_newton_per_metre");
  const kappa = column(truth, "curvature_per_metre");
  const separation = column(truth, "spot_separation_metre");
  const soc = column(truth, "state_of_charge");
  const current = column(truth, "current_ampere");

  it("ran both cycles", () => {
    expect(truth.cycles.filter((c) => c.complete).map((c) => c.cycle)).toEqual([1, 2]);
  });

  it("obeys Stoney at every step", () => {
    const factor_N = cell.constants.stoney_N!;
    expect(factor_N).toBe(stoneyFactor_N(64e9, 155e-6, 0.2));
    // Relative to the cycle's span, since σh passes through zero at the start.
    const scale = maxOf(sigma.map(Math.abs));
    expect(scale).toBeGreaterThan(0.5);
    let worst = 0;
    for (let r = 0; r < truth.rows; r++) worst = Math.max(worst, Math.abs(factor_N * kappa[r]! - sigma[r]!));
    expect(worst).toBeLessThanOrEqual(1e-12 * scale);
  });

  it("obeys the two-beam relation Δs = 2·n·L·d·Δκ at every step", () => {
    const n = optics["Electrolyte refractive index [1]"];
    const L = optics["Detector distance [m]"];
    const d = cell.constants.beamSpacing_m!;
    const s0 = cell.constants.referenceSpotSeparation_m!;
    const predicted = kappa.map((k) => 2 * n * L * d * k);
    const scale = maxOf(predicted.map(Math.abs));
    expect(scale).toBeGreaterThan(5e-6);
    let worst = 0;
    for (let r = 0; r < truth.rows; r++) worst = Math.max(worst, Math.abs(separation[r]! - s0 - predicted[r]!));
    expect(worst).toBeLessThanOrEqual(1e-12 * scale);
  });

  it("recovers each spot from its detector's electrode currents", () => {
    const length_m = optics["Detector active length [m]"];
    for (const beam of [1, 2]) {
      const a = column(truth, `psd${beam}_a_ampere`);
      const b = column(truth, `psd${beam}_b_ampere`);
      const x = column(truth, `spot${beam}_position_metre`);
      for (let r = 0; r < truth.rows; r += 97) expect(lateralEffectPosition_m(a[r]!, b[r]!, length_m)).toBeCloseTo(x[r]!, 12);
    }
  });

  it("drops the second detector's sum during the bubble and only then", () => {
    const t = column(truth, "test_time_second");
    const sum1 = column(truth, "psd1_sum_ampere");
    const sum2 = column(truth, "psd2_sum_ampere");
    const full_A = optics["Laser power [W]"] * optics["Photodiode responsivity [A/W]"] * optics["Optical transmission [1]"];
    let wrong = 0;
    let dimmed = 0;
    for (let r = 0; r < truth.rows; r++) {
      const inBubble = t[r]! >= 3000 && t[r]! < 3120;
      if (inBubble) dimmed++;
      if (Math.abs(sum1[r]! - full_A) > 1e-18 || Math.abs(sum2[r]! - (inBubble ? 0.25 * full_A : full_A)) > 1e-18) wrong++;
    }
    expect(wrong).toBe(0);
    expect(dimmed).toBe(240);
  });

  it("is more compressive on the sodiation plateau than on desodiation at the same state of charge", () => {
    // Cycle 2, inside the plateau (at this rate sodiation stops near 0.86): the rows nearest to each state of charge on the way in and out.
    const cycle = column(truth, "cycle_count");
    for (const target of [0.62, 0.7, 0.78]) {
      let sodiation = NaN;
      let desodiation = NaN;
      let bestIn = Infinity;
      let bestOut = Infinity;
      for (let r = 0; r < truth.rows; r++) {
        if (cycle[r] !== 2) continue;
        const gap = Math.abs(soc[r]! - target);
        if (current[r]! < 0 && gap < bestIn) [bestIn, sodiation] = [gap, sigma[r]!];
        if (current[r]! > 0 && gap < bestOut) [bestOut, desodiation] = [gap, sigma[r]!];
      }
      expect(bestIn).toBeLessThan(1e-3);
      expect(bestOut).toBeLessThan(1e-3);
      expect(sodiation).toBeLessThan(desodiation - 0.2);
    }
  });

  it("summarises each cycle's stress amplitude", () => {
    const c2 = truth.cycles.find((c) => c.cycle === 2)!;
    const cycle = column(truth, "cycle_count");
    const step = column(truth, "step_index");
    const inCycle = sigma.filter((_, r) => cycle[r] === 2 && step[r]! >= 0);
    expect(c2.stress_thickness_amplitude_N_per_m).toBeCloseTo(maxOf(inCycle) - minOf(inCycle), 12);
    expect(c2.stress_thickness_amplitude_N_per_m!).toBeGreaterThan(0.8);
  });
});

describe("hard-carbon-stress at the rig's own rate", () => {
  it("steps at 40 Hz with a sloping region and a low-voltage plateau", () => {
    const cell = createCell("hard-carbon-stress");
    const times: number[] = [];
    cell.onStep((s) => times.length < 5 && times.push(s.test_time_s));
    cell.advanceTo(1);
    expect(times).toEqual([0.025, 0.05, 0.075, 0.1, 0.125]);
    expect(cell.state.current_A).toBeCloseTo(-10e-3 * 0.0006, 15);
    // Sloping: the voltage falls by over 0.4 V across the first half of the capacity...
    const at = (soc: number) => {
      while (cell.state.soc < soc) cell.advanceTo(cell.state.test_time_s + 60);
      return cell.state.voltage_V;
    };
    const v10 = at(0.1);
    const v45 = at(0.45);
    const v60 = at(0.6);
    const v85 = at(0.85);
    expect(v10 - v45).toBeGreaterThan(0.4);
    // ...then a plateau near 0.05–0.1 V.
    expect(v60).toBeLessThan(0.1);
    expect(v85).toBeGreaterThan(0.03);
    expect(v60 - v85).toBeLessThan(0.04);
  });
});
