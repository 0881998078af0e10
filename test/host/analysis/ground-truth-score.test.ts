import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyseCell, type CellAnalysis } from "../../../host/analysis/cell.ts";
import { configForRig, rigFromGroundTruthMeta } from "../../../host/analysis/rig-description.ts";
import { boxcarMeans } from "../../../host/analysis/swing.ts";
import { createCell, GroundTruthWriter, readGroundTruth, type GroundTruth, type PresetOverrides } from "../../../sim/physics/index.ts";
import { measureRun, type SensorModel } from "./sensor-model.ts";

/**
 * The acceptance: analysis of what the sensors would report, scored against the
 * simulator's true per-cycle figures, for runs with noise, slow drift and ±2 K temperature swings.
 */
const TOLERANCE = {
  capacity_relative: 0.005,
  coulombicEfficiency_pp: 0.05,
  gas_relative: 0.02,
  stressThickness_ofAmplitude: 0.02,
  onset_V: 0.02,
};

const SENSORS: Omit<SensorModel, "maxCurrent_A"> = {
  seed: 11,
  shuntOffset_V: 1e-6,
  pressureSpan_Pa: 160e3,
  pressureNoise_Pa: 3,
  pressureDrift_Pa_per_s: 5 / 86400,
  temperatureNoise_K: 0.01,
  transimpedance_ohm: 1e4,
  laserDrift_per_s: 0.02 / 86400,
};

interface Scored {
  truth: GroundTruth;
  analysis: CellAnalysis;
  time_s: Float64Array;
}

let dir: string;

function simulate(preset: string, overrides: PresetOverrides): Scored {
  const base = join(dir, preset);
  const cell = createCell(preset, overrides);
  const writer = new GroundTruthWriter(cell, base);
  while (!cell.finished) cell.advanceTo(cell.state.test_time_s + 3600);
  cell.advanceTo(cell.state.test_time_s + 600);
  writer.close();
  const truth = readGroundTruth(base);
  const maxCurrent_A = truth.columns["current_ampere"].reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const series = measureRun(truth.columns, { ...SENSORS, maxCurrent_A });
  const config = configForRig(rigFromGroundTruthMeta(truth.meta, base), maxCurrent_A, 10);
  config.dqdv = { method: "none" };
  // The measured photodiode signals are volts after the transimpedance amplifiers.
  if (config.stress !== undefined) config.stress = { ...config.stress, optical: { minSum_V: 0.5 } };
  return { truth, analysis: analyseCell(series, config), time_s: series.time_s };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cellrig-score-"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectCapacityAndEfficiency({ truth, analysis }: Scored): void {
  expect(analysis.cycles).toHaveLength(truth.cycles.length);
  for (const cycle of analysis.cycles) {
    const expected = truth.cycles[cycle.cycle - 1];
    const charge = [cycle.in, cycle.out].find((h) => h?.direction === "charge");
    const discharge = [cycle.in, cycle.out].find((h) => h?.direction === "discharge");
    expect(Math.abs((charge?.charge_As ?? 0) / 3600 / expected.charge_Ah - 1)).toBeLessThan(TOLERANCE.capacity_relative);
    expect(Math.abs((discharge?.charge_As ?? 0) / 3600 / expected.discharge_Ah - 1)).toBeLessThan(TOLERANCE.capacity_relative);
    expect(Math.abs(cycle.coulombicEfficiency - expected.coulombic_efficiency) * 100).toBeLessThan(TOLERANCE.coulombicEfficiency_pp);
  }
}

describe("analysis scored against simulator ground truth", () => {
  it("graphite-nmc-gas, 3 cycles at C/2 with ±2 K swings: capacity, CE, gas per cycle and gas onset potential", () => {
    const scored = simulate("graphite-nmc-gas", { Protocol: { "Number of cycles [1]": 3 } });
    expectCapacityAndEfficiency(scored);
    const gas = scored.analysis.gas;
    expect(gas?.cycles).toHaveLength(3);
    for (const cycle of gas?.cycles ?? []) {
      const expected = scored.truth.cycles[cycle.cycle - 1];
      expect(Math.abs(cycle.irreversible_mol / (expected.gas_mol as number) - 1)).toBeLessThan(TOLERANCE.gas_relative);
      expect(Math.abs((cycle.onset?.voltage_V ?? 0) - (expected.gas_onset?.voltage_V ?? Infinity))).toBeLessThan(TOLERANCE.onset_V);
    }
    // The swing is there to be compensated: about ±2 K at the cell.
    const temperature = scored.truth.columns["surface_temperature_celsius"];
    expect(Math.max(...temperature) - Math.min(...temperature)).toBeGreaterThan(3);
  });

  it("hard-carbon-stress, 3 cycles at 200 mA/g with ±2 K swings: capacity, CE and stress-thickness", () => {
    const thermal_N_per_mK = -0.01;
    const scored = simulate("hard-carbon-stress", {
      "Time step [s]": 1,
      Protocol: {
        "Number of cycles [1]": 3,
        Steps: [
          { "Specific current [mA/g]": -200, "Lower voltage cut-off [V]": 0.005 },
          { "Rest [s]": 1800 },
          { "Specific current [mA/g]": 200, "Upper voltage cut-off [V]": 2.0 },
          { "Rest [s]": 1800 },
        ],
      },
      Thermal: { "Swing amplitude [K]": 2, "Swing period [s]": 14400, "Drift [K/s]": 1.157e-6, "Cell thermal time constant [s]": 300 },
      Stress: { "Thermal stress-thickness coefficient [N/(m.K)]": thermal_N_per_mK },
    });
    expectCapacityAndEfficiency(scored);
    const stress = scored.analysis.stress;
    // Fitted over the rests; a tenth off would leave 0.002 N/m of a 2 K swing, a fifth of a percent.
    expect(Math.abs((stress?.thermal?.coefficient_per_K ?? 0) / thermal_N_per_mK - 1)).toBeLessThan(0.1);

    // Pointwise: the compensated series against the true stress-thickness less its thermal-mismatch
    // part, both on 60 s means and referred to a common offset, within 2 % of each cycle's swing.
    const truth = scored.truth.columns["stress_thickness_newton_per_metre"];
    const temperature_degC = scored.truth.columns["surface_temperature_celsius"];
    const mean_K = 298.15;
    const electrochemical = truth.map((value, i) => value - thermal_N_per_mK * (temperature_degC[i] + 273.15 - mean_K));
    const n = scored.time_s.length;
    const measured = boxcarMeans(scored.time_s, stress?.stressThickness_N_per_m ?? new Float64Array(n), 0, n - 1, 60);
    const expected = boxcarMeans(scored.time_s, electrochemical, 0, n - 1, 60);
    const offset = median(measured.map((value, i) => value - expected[i]).filter(Number.isFinite));
    for (const cycle of stress?.cycles ?? []) {
      const from = scored.time_s.findIndex((t) => t >= cycle.startTime_s);
      const to = scored.time_s.findIndex((t) => t >= cycle.endTime_s);
      let lo = Infinity;
      let hi = -Infinity;
      let worst = 0;
      for (let i = from; i <= to; i++) {
        lo = Math.min(lo, expected[i]);
        hi = Math.max(hi, expected[i]);
        if (Number.isFinite(measured[i])) worst = Math.max(worst, Math.abs(measured[i] - offset - expected[i]));
      }
      expect(worst).toBeLessThan(TOLERANCE.stressThickness_ofAmplitude * (hi - lo));
      expect(Math.abs(cycle.amplitude_N_per_m - (hi - lo))).toBeLessThan(TOLERANCE.stressThickness_ofAmplitude * (hi - lo));
    }
    expect(stress?.cycles).toHaveLength(3);
  });
});

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[sorted.length >> 1];
}
