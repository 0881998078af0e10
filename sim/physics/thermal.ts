import type { ThermalParams } from "./preset-schema.ts";
import type { CellState } from "./cell-state.ts";

/**
 * Surroundings that swing sinusoidally and drift (a lab's air conditioning, or a thermostat
 * holding ±10 mK), and a cell that follows them with a first-order lag.
 */
export class ThermalModel {
  private readonly mean_K: number;
  private readonly swing_K: number;
  private readonly angularFrequency_per_s: number;
  private readonly drift_K_per_s: number;
  /** Fraction of the gap to the surroundings the cell closes per step. */
  private readonly follow: number;

  constructor(p: ThermalParams, step_s: number) {
    this.mean_K = p["Mean temperature [K]"];
    this.swing_K = p["Swing amplitude [K]"];
    this.angularFrequency_per_s = (2 * Math.PI) / p["Swing period [s]"];
    this.drift_K_per_s = p["Drift [K/s]"];
    const tau_s = p["Cell thermal time constant [s]"];
    this.follow = tau_s > 0 ? -Math.expm1(-step_s / tau_s) : 1;
  }

  ambient_K(time_s: number): number {
    return this.mean_K + this.swing_K * Math.sin(this.angularFrequency_per_s * time_s) + this.drift_K_per_s * time_s;
  }

  init(s: CellState): void {
    s.ambient_temperature_K = this.ambient_K(s.test_time_s);
    s.temperature_K = s.ambient_temperature_K;
  }

  step(s: CellState): void {
    s.ambient_temperature_K = this.ambient_K(s.test_time_s);
    s.temperature_K += (s.ambient_temperature_K - s.temperature_K) * this.follow;
  }
}
