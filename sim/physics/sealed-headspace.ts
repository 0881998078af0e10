/**
 * A sealed cell at rest: a fixed amount of gas in a fixed headspace, so pressure follows the
 * ideal-gas law with temperature alone (../shared/physics.md: n = P·V_h / (R·T)). The temperature
 * swings sinusoidally like a lab's air conditioning; the full cell models come with the presets.
 */
export const R_J_per_molK = 8.314462618;

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
  return (p.gas_mol * R_J_per_molK * temperature_K(p, time_s)) / p.headspace_m3;
}

/** The gas amount that gives `pressure_Pa` at the mean temperature. */
export function gasFor(pressure_Pa: number, headspace_m3: number, temperature_K: number): number {
  return (pressure_Pa * headspace_m3) / (R_J_per_molK * temperature_K);
}
