import { describe, expect, it } from "vitest";
import { F_C_per_mol, R_J_per_molK, idealGasAmount_mol, idealGasPressure_Pa, loadPreset } from "../../../sim/physics/index.ts";
import { column, maxOf, minOf, runWithGroundTruth } from "./run.ts";

describe("ideal gas in the headspace", () => {
  it("reads 1 µmol in 1 mL at 298 K as about 24.8 mbar", () => {
    const p_Pa = idealGasPressure_Pa(1e-6, 298, 1e-6);
    expect(p_Pa).toBe((1e-6 * R_J_per_molK * 298) / 1e-6);
    expect(p_Pa / 100).toBeCloseTo(24.8, 1);
  });

  it("inverts n = P·V/(R·T)", () => {
    expect(idealGasAmount_mol(idealGasPressure_Pa(3.7e-5, 301.2, 4.4e-6), 4.4e-6, 301.2)).toBeCloseTo(3.7e-5, 18);
  });
});

describe("graphite-nmc-gas ground truth", () => {
  const preset = loadPreset("graphite-nmc-gas");
  // Four cycles at the preset's 1 s step, with its ±2 K swings, drift and breathing.
  const { cell, truth } = runWithGroundTruth("graphite-nmc-gas", { Protocol: { "Number of cycles [1]": 4 } }, 200_000);
  const n = column(truth, "gas_amount_mol");
  const p = column(truth, "cell_pressure_pa");
  const v = column(truth, "headspace_volume_cubic_metre");
  const tC = column(truth, "surface_temperature_celsius");
  const soc = column(truth, "state_of_charge");
  const evolved = column(truth, "evolved_gas_amount_mol");

  it("obeys P·V = n·R·T at every recorded step", () => {
    let worst = 0;
    for (let r = 0; r < truth.rows; r++) {
      const nrt = n[r]! * R_J_per_molK * (tC[r]! + 273.15);
      worst = Math.max(worst, Math.abs(p[r]! * v[r]! - nrt) / nrt);
    }
    expect(worst).toBeLessThanOrEqual(1e-12);
  });

  it("has temperature swings and breathing to obey it through", () => {
    expect(maxOf(tC) - minOf(tC)).toBeGreaterThan(2);
    expect(maxOf(v) - minOf(v)).toBeGreaterThan(2.5e-9);
  });

  it("breathes reversibly: the free volume follows state of charge alone", () => {
    const h = preset.Headspace!;
    const perSoc_m3 =
      h["Negative electrode volume [m3]"] * h["Negative electrode expansion at full charge [1]"] +
      h["Positive electrode volume [m3]"] * h["Positive electrode expansion at full charge [1]"];
    for (let r = 0; r < truth.rows; r += 101) expect(v[r]).toBeCloseTo(h["Headspace volume [m3]"] - perSoc_m3 * soc[r]!, 20);
  });

  it("makes SEI gas in cycle 1 with its onset below 1 V vs Li/Li+", () => {
    const c1 = truth.cycles[0]!;
    expect(c1.cycle).toBe(1);
    const onset = c1.gas_onset!;
    expect(onset.electrode_potential_V).toBeLessThan(1.0);
    expect(onset.electrode_potential_V).toBeGreaterThan(0.95);
    expect(onset.voltage_V).toBeLessThan(3.3);
    // Most of the first cycle's gas is ethylene, over 20 times a later cycle's gas.
    expect(c1.gas_by_species_mol!.C2H4!).toBeGreaterThan(0.9 * c1.gas_mol!);
    expect(c1.gas_mol!).toBeGreaterThan(20 * truth.cycles[1]!.gas_mol!);
  });

  it("gasses a little every later cycle, from the cycling-gas onset at 3.8 V", () => {
    for (const c of truth.cycles.slice(1).filter((c) => c.complete)) {
      expect(c.gas_onset!.voltage_V).toBeGreaterThanOrEqual(3.8);
      expect(c.gas_onset!.voltage_V).toBeLessThan(3.81);
      expect(c.gas_mol!).toBeGreaterThan(1e-7);
      expect(c.gas_by_species_mol!.O2!).toBeGreaterThan(0);
    }
  });

  it("never loses gas, and the per-cycle gas adds up to the recorded total", () => {
    let decreases = 0;
    for (let r = 1; r < truth.rows; r++) if (evolved[r]! < evolved[r - 1]!) decreases++;
    expect(decreases).toBe(0);
    const perCycle = truth.cycles.reduce((sum, c) => sum + c.gas_mol!, 0);
    expect(perCycle).toBeCloseTo(evolved[truth.rows - 1]!, 15);
  });

  it("gives the electrons per molecule of each source from charge and gas", () => {
    // SEI: 30 % of its charge at 2 e⁻/C₂H₄, so z over the whole SEI charge is 2 / 0.3.
    const c1 = truth.cycles[0]!;
    const electrons_mol = (c1.side_reaction_by_name_Ah["SEI formation"]! * 3600) / F_C_per_mol;
    expect(electrons_mol / c1.gas_by_species_mol!.C2H4!).toBeCloseTo(2 / 0.3, 9);
    // Oxygen: all of its reaction's charge at 4 e⁻/O₂.
    const c2 = truth.cycles[1]!;
    const oxygenElectrons_mol = (c2.side_reaction_by_name_Ah["high state of charge oxygen"]! * 3600) / F_C_per_mol;
    expect(oxygenElectrons_mol / c2.gas_by_species_mol!.O2!).toBeCloseTo(4, 9);
  });

  it("keeps the side-reaction ledger per reaction consistent with the total", () => {
    for (const c of truth.cycles) {
      const sum = Object.values(c.side_reaction_by_name_Ah).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(c.side_reaction_Ah, 15);
    }
    expect(cell.state.side_reaction_charge_Ah).toBeGreaterThan(0);
  });
});
