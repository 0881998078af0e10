import type { StressParams } from "./preset-schema.ts";
import type { CellState } from "./cell-state.ts";
import { Table } from "./table.ts";

/**
 * Stoney's factor E_s·h_s² / (6·(1 − ν_s)), N: stress-thickness σ_f·h_f = factor × curvature
 * (../shared/physics.md; valid while the film is much thinner than the substrate).
 */
export function stoneyFactor_N(youngsModulus_Pa: number, thickness_m: number, poissonRatio: number): number {
  return (youngsModulus_Pa * thickness_m * thickness_m) / (6 * (1 - poissonRatio));
}

/**
 * Stress-thickness of an electrode film on the cantilever. The reversible part comes from the
 * film's volume change held flat by the substrate (in-plane strain = volumetric strain / 3, times
 * the film's biaxial modulus and thickness; expansion is compressive, negative). On top of it a
 * hysteresis term moves toward −w/2 while the electrode fills and +w/2 while it empties, w being
 * the loop width at that state of charge, so stress on the sodiation plateau is more compressive
 * than on desodiation at the same state of charge. Thermal mismatch adds a term linear in ΔT.
 */
export class StressModel {
  readonly stoney_N: number;
  private readonly expansion: Table;
  private readonly loopWidth: Table;
  private readonly stiffness_N_per_m: number;
  private readonly transitionWidth: number;
  private readonly initial_N_per_m: number;
  private readonly thermal_N_per_mK: number;
  private readonly reference_K: number;
  private initialExpansion = NaN;
  private hysteresis_N_per_m = 0;

  constructor(p: StressParams, referenceTemperature_K: number) {
    this.stoney_N = stoneyFactor_N(p["Substrate Young's modulus [Pa]"], p["Substrate thickness [m]"], p["Substrate Poisson ratio [1]"]);
    const e = p["Electrode volume expansion"];
    this.expansion = new Table(e["State of charge [1]"], e["Volume expansion [1]"], "electrode volume expansion");
    const h = p["Stress-thickness hysteresis"];
    this.loopWidth = new Table(h["State of charge [1]"], h["Loop width [N/m]"], "stress-thickness hysteresis");
    this.stiffness_N_per_m = p["Electrode biaxial modulus [Pa]"] * p["Electrode thickness [m]"];
    this.transitionWidth = p["Hysteresis transition width [1]"];
    this.initial_N_per_m = p["Initial stress-thickness [N/m]"];
    this.thermal_N_per_mK = p["Thermal stress-thickness coefficient [N/(m.K)]"];
    this.reference_K = referenceTemperature_K;
  }

  init(s: CellState): void {
    this.initialExpansion = this.expansion.at(s.soc);
    this.refresh(s);
  }

  /** `socChange` is this step's change of state of charge; its sign picks the branch of the loop. */
  step(s: CellState, socChange: number): void {
    if (socChange !== 0) {
      const half = 0.5 * this.loopWidth.at(s.soc);
      const target = socChange > 0 ? -half : half;
      this.hysteresis_N_per_m += (target - this.hysteresis_N_per_m) * -Math.expm1(-Math.abs(socChange) / this.transitionWidth);
    }
    this.refresh(s);
  }

  private refresh(s: CellState): void {
    const inPlaneStrain = (this.expansion.at(s.soc) - this.initialExpansion) / 3;
    s.stress_thickness_N_per_m =
      this.initial_N_per_m -
      this.stiffness_N_per_m * inPlaneStrain +
      this.hysteresis_N_per_m +
      this.thermal_N_per_mK * (s.temperature_K - this.reference_K);
    s.curvature_per_m = s.stress_thickness_N_per_m / this.stoney_N;
  }
}
