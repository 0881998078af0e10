import type { CellConfig } from "./cell.ts";
import type { Direction } from "./steps.ts";

/**
 * Analysis parameters from the description of a simulated cell that `cellrig sim` writes beside
 * its ground truth (`<base>.json`: the preset with its "Name [unit]" keys, and constants). Only
 * the figures a real rig's configuration would also give are taken: headspace volume, onset
 * threshold, cantilever and beam geometry, detector length, which current direction stores charge.
 */
export interface RigDescription {
  storing: Direction;
  activeMass_g?: number;
  gas?: { headspace_m3: number; onsetRate_mol_per_s: number };
  stress?: NonNullable<CellConfig["stress"]>;
}

/** Rate and endpoint windows suited to cycles of hours, s. */
export const GAS_WINDOWS = { rateWindow_s: 600, endpointWindow_s: 600, onsetDuration_s: 300 };
export const STRESS_WINDOWS = { endpointWindow_s: 60, rateWindow_s: 120 };

export function rigFromGroundTruthMeta(meta: unknown, source: string): RigDescription {
  const preset = field(meta, "preset", source);
  const echem = field(preset, "Electrochemistry", source);
  const storedBy = field(echem, "Charge is stored by", source);
  const rig: RigDescription = { storing: storedBy === "negative current" ? "discharge" : "charge" };
  const mass = (echem as Record<string, unknown>)["Active mass [g]"];
  if (typeof mass === "number") rig.activeMass_g = mass;
  const headspace = (preset as Record<string, unknown>)["Headspace"];
  if (headspace !== undefined) {
    rig.gas = {
      headspace_m3: number(headspace, "Headspace volume [m3]", source),
      onsetRate_mol_per_s: number(headspace, "Gas onset threshold [mol/s]", source),
    };
  }
  const stress = (preset as Record<string, unknown>)["Stress"];
  const optics = (preset as Record<string, unknown>)["Optics"];
  if (stress !== undefined && optics !== undefined) {
    rig.stress = {
      substrate: {
        youngsModulus_Pa: number(stress, "Substrate Young's modulus [Pa]", source),
        poissonRatio: number(stress, "Substrate Poisson ratio [1]", source),
        thickness_m: number(stress, "Substrate thickness [m]", source),
      },
      geometry: {
        refractiveIndex: number(optics, "Electrolyte refractive index [1]", source),
        detectorDistance_m: number(optics, "Detector distance [m]", source),
        beamSpacing_m: number(optics, "Second beam distance from clamp [m]", source) - number(optics, "First beam distance from clamp [m]", source),
      },
      psdActiveLength_m: number(optics, "Detector active length [m]", source),
      // The simulator reports photocurrents; a sum below a tenth of the full one is a lost beam.
      optical: { minSum_V: 0.1 * number(optics, "Laser power [W]", source) * number(optics, "Photodiode responsivity [A/W]", source) * number(optics, "Optical transmission [1]", source) },
      ...STRESS_WINDOWS,
      temperatureCompensation: true,
      loopVoltageStep_V: 0.01,
      loopStateOfChargeStep: 0.01,
    };
  }
  return rig;
}

/** The analysis configuration for a rig, with thresholds scaled to the run's largest current. */
export function configForRig(rig: RigDescription, maxCurrent_A: number, maxGap_s: number): CellConfig {
  const config: CellConfig = {
    storing: rig.storing,
    restThreshold_A: 0.01 * maxCurrent_A,
    minStepDuration_s: 60,
    maxGap_s,
    activeMass_g: rig.activeMass_g,
    dqdv: { method: "interpolate_invert" },
  };
  if (rig.gas !== undefined) config.gas = { headspace_m3: rig.gas.headspace_m3, onsetRate_mol_per_s: rig.gas.onsetRate_mol_per_s, ...GAS_WINDOWS };
  if (rig.stress !== undefined) config.stress = rig.stress;
  return config;
}

function field(value: unknown, key: string, source: string): unknown {
  if (typeof value !== "object" || value === null || !(key in value)) {
    throw new Error(`${source} has no "${key}"; it should be the description cellrig sim writes beside the ground truth`);
  }
  return (value as Record<string, unknown>)[key];
}

function number(value: unknown, key: string, source: string): number {
  const found = field(value, key, source);
  if (typeof found !== "number" || !Number.isFinite(found)) throw new Error(`${source}: "${key}" is ${JSON.stringify(found)}, not a number`);
  return found;
}
