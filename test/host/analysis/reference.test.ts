import { describe, expect, it } from "vitest";
import { FARADAY_C_per_mol, GAS_CONSTANT_J_per_mol_K } from "../../../host/analysis/constants.ts";
import { gasAmount_mol, gasEvolved_mol, pressureRise_Pa } from "../../../host/analysis/gas.ts";
import { curvatureChange_per_m, separationChange_m } from "../../../host/analysis/optics.ts";
import { stoneyFactor_N } from "../../../host/analysis/stress.ts";

const relative = (value: number, expected: number) => Math.abs(value - expected) / Math.abs(expected);

/** Figures worked by hand from physics.md; each expected value is written out as the arithmetic gives it. */
describe("hand-computed reference values", () => {
  it("Stoney factor of the reference cantilever: 64 GPa × (155 µm)² / (6 × 0.8) = 320.333… N", () => {
    // 155e-6² = 2.4025e-8 m²; × 64e9 Pa = 1537.6 N; / 4.8 = 320.3333… N
    const factor = stoneyFactor_N({ youngsModulus_Pa: 64e9, poissonRatio: 0.2, thickness_m: 155e-6 });
    expect(relative(factor, 1537.6 / 4.8)).toBeLessThan(1e-9);
    // κ = 1e-3 1/m gives σh ≈ 0.32 N/m, as physics.md says.
    expect(factor * 1e-3).toBeCloseTo(0.3203, 4);
  });

  it("spot separation for κ = 1e-3 1/m, n = 1.42, L = 208 mm, d = 5 mm: 2 × 1.42 × 0.208 × 0.005 × 1e-3 = 2.9536 µm", () => {
    const geometry = { refractiveIndex: 1.42, detectorDistance_m: 0.208, beamSpacing_m: 0.005 };
    expect(relative(separationChange_m(1e-3, geometry), 2.9536e-6)).toBeLessThan(1e-9);
    expect(relative(curvatureChange_per_m(2.9536e-6, geometry), 1e-3)).toBeLessThan(1e-9);
  });

  it("1 µmol in 1 mL at 298 K: 1e-6 × 8.314462618 × 298 / 1e-6 = 2477.709860164 Pa ≈ 24.8 mbar", () => {
    expect(relative(pressureRise_Pa(1e-6, 298, 1e-6), 2477.709860164)).toBeLessThan(1e-9);
    expect(relative(gasAmount_mol(2477.709860164, 298, 1e-6), 1e-6)).toBeLessThan(1e-9);
    expect(relative(gasEvolved_mol(1e5, 298, 1e5 + 2477.709860164, 298, 1e-6), 1e-6)).toBeLessThan(1e-9);
  });

  it("uses the exact SI values of R and F, and 1 mAh is 37.31… µmol of electrons", () => {
    expect(GAS_CONSTANT_J_per_mol_K).toBe(8.314462618);
    expect(FARADAY_C_per_mol).toBe(96485.33212);
    expect(relative(3.6 / FARADAY_C_per_mol, 3.731138e-5)).toBeLessThan(1e-6);
  });
});
