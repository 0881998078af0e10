/**
 * A sealed cell at rest: a fixed amount of gas in a fixed headspace, so pressure follows the
 * ideal-gas law with temperature alone (../shared/physics.md: n = P·V_h / (R·T)). The temperature
 * swings sinusoidally like a lab's air conditioning; the full cell models come with the presets.
 */
import { R_J_per_molK } from "./constants.ts";
import { idealGasAmount_mol, idealGasPressure_Pa } from "./headspace.ts";

export { R_J_per_molK };

export interface SealedHeadspaceParams {
  headspace_m3: number;
  /** Gas amount, mol. */
  gas_mol: number;
  mean_temperature_K: number;
  swing_K: number;
  swing_period_s: number;
}

export function temperature_K(p: SealedHeadspaceParams, time_s: number): number {
  return p.mean_temperature_K + p.swing_K * Math.sin((2 * Math.PI * time_s) / p.swing_period_s);
}

export function pressure_Pa(p: SealedHeadspaceParams, time_s: number): number {
  return idealGasPressure_Pa(p.gas_mol, temperature_K(p, time_s), p.headspace_m3);
}

/** The gas amount that gives `pressure_Pa` at the mean temperature. */
export function gasFor(pressure_Pa: number, headspace_m3: number, temperature_K: number): number {
  return idealGasAmount_mol(pressure_Pa, headspace_m3, temperature_K);
}
