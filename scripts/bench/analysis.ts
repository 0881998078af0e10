import { alignChannels, uniformTimeBase, type ChannelSeries } from "../../host/analysis/align.ts";
import { analyseCell, type CellConfig } from "../../host/analysis/cell.ts";
import { GAS_CONSTANT_J_per_mol_K } from "../../host/analysis/constants.ts";
import type { Benchmark, Figure } from "./figure.ts";

const DURATION_s = 28 * 86400;
const HEADSPACE_m3 = 1e-6;

/**
 * A 4-week, 1 Hz cell with eight channels (voltage, current, temperature, pressure and two
 * two-electrode PSDs), each with its own timestamps (jitter, a lag, a few gaps), cycled at C/10
 * with 1 h rests and ±2 K temperature swings. Generated outside the timed region.
 */
function syntheticCell(): ChannelSeries[] {
  const n = DURATION_s + 1;
  let seed = 20240601;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  const names = ["voltage_volt", "current_ampere", "temperature_k", "cell_pressure_pa", "psd1_a_volt", "psd1_b_volt", "psd2_a_volt", "psd2_b_volt"];
  const times = names.map(() => new Float64Array(n));
  const values = names.map(() => new Float64Array(n));
  const cycle_s = 22 * 3600;
  let gas_mol = (1e5 * HEADSPACE_m3) / (GAS_CONSTANT_J_per_mol_K * 298.15);
  for (let i = 0; i < n; i++) {
    const phase = i % cycle_s;
    const charging = phase >= 3600 && phase < 11 * 3600;
    const discharging = phase >= 12 * 3600;
    const current = charging ? 1e-3 : discharging ? -1e-3 : 0;
    const soc = charging ? (phase - 3600) / 36000 : discharging ? 1 - (phase - 12 * 3600) / 36000 : phase < 3600 ? 0 : 1;
    const voltage = 3.0 + 1.2 * soc + (charging ? 0.02 : discharging ? -0.02 : 0) + 0.05 * Math.tanh((soc - 0.5) / 0.05);
    const temperature = 298.15 + 2 * Math.sin((2 * Math.PI * i) / 86400);
    if (charging && soc > 0.8) gas_mol += 1e-12;
    const pressure = (gas_mol * GAS_CONSTANT_J_per_mol_K * temperature) / HEADSPACE_m3;
    const kappa = -2e-3 * soc + 1e-5 * (temperature - 298.15);
    const separation = 1e-3 + 2 * 1.42 * 0.208 * 0.005 * kappa;
    const spot1 = -separation / 2;
    const spot2 = separation / 2;
    // x = (ℓ/2)(B − A)/(A + B) with A + B = 2 V and ℓ = 10 mm: B − A = 2·x/(5 mm).
    const psd = (x: number): [number, number] => [1 - x / 0.005, 1 + x / 0.005];
    const [a1, b1] = psd(spot1);
    const [a2, b2] = psd(spot2);
    const row = [voltage + 1e-4 * random(), current + 1e-6 * random(), temperature + 0.01 * random(), pressure + 2 * random(), a1, b1, a2, b2];
    for (let c = 0; c < names.length; c++) {
      times[c][i] = i + 0.02 * c + 0.001 * random();
      values[c][i] = row[c];
    }
  }
  return names.map((name, c) => {
    // A 10-minute outage on each channel at a different time: gaps must stay gaps.
    const outage = (3 + c) * 86400;
    const keep: number[] = [];
    for (let i = 0; i < n; i++) if (i < outage || i >= outage + 600) keep.push(i);
    return {
      name,
      time_s: Float64Array.from(keep, (i) => times[c][i]),
      values: Float64Array.from(keep, (i) => values[c][i]),
      lag_s: 0.02 * c,
      maxGap_s: 5,
    };
  });
}

const CONFIG: CellConfig = {
  storing: "charge",
  restThreshold_A: 1e-5,
  minStepDuration_s: 60,
  maxGap_s: 5,
  activeMass_g: 0.004,
  dqdv: { method: "interpolate_invert" },
  gas: { headspace_m3: HEADSPACE_m3, rateWindow_s: 600, endpointWindow_s: 600, onsetRate_mol_per_s: 5e-13, onsetDuration_s: 300 },
  stress: {
    substrate: { youngsModulus_Pa: 64e9, poissonRatio: 0.2, thickness_m: 155e-6 },
    geometry: { refractiveIndex: 1.42, detectorDistance_m: 0.208, beamSpacing_m: 0.005 },
    psdActiveLength_m: 0.01,
    optical: { minSum_V: 0.5, saturation_V: 4.8 },
    endpointWindow_s: 600,
    rateWindow_s: 120,
    temperatureCompensation: true,
    loopVoltageStep_V: 0.01,
    loopStateOfChargeStep: 0.01,
  },
};

export const analysisBenchmark: Benchmark = {
  name: "analysis",
  async run(progress: (line: string) => void): Promise<Figure[]> {
    progress("analysis: generating a 4-week 1 Hz 8-channel cell");
    const channels = syntheticCell();
    progress("analysis: aligning and analysing");
    const started = performance.now();
    const aligned = alignChannels(uniformTimeBase(0, DURATION_s, 1), channels);
    const c = aligned.columns;
    const result = analyseCell(
      {
        time_s: aligned.time_s,
        voltage_V: c["voltage_volt"],
        current_A: c["current_ampere"],
        temperature_K: c["temperature_k"],
        pressure_Pa: c["cell_pressure_pa"],
        photodiodes: { beam1: { a_V: c["psd1_a_volt"], b_V: c["psd1_b_volt"] }, beam2: { a_V: c["psd2_a_volt"], b_V: c["psd2_b_volt"] } },
      },
      CONFIG,
    );
    const seconds = (performance.now() - started) / 1000;
    return [
      {
        name: "analysis.seconds_4_weeks",
        value: seconds,
        unit: "s",
        note: `align 8 channels × ${aligned.time_s.length} points and analyse ${result.cycles.length} cycles (capacity, dQ/dV, gas, stress); target ≤ 5 s`,
      },
    ];
  },
};
