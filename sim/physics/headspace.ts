import { R_J_per_molK } from "./constants.ts";
import type { HeadspaceParams } from "./preset-schema.ts";
import type { CellState } from "./cell-state.ts";

/** Ideal gas: P = n·R·T / V. */
export function idealGasPressure_Pa(gas_mol: number, temperature_K: number, volume_m3: number): number {
  return (gas_mol * R_J_per_molK * temperature_K) / volume_m3;
}

/** Ideal gas: n = P·V / (R·T). */
export function idealGasAmount_mol(pressure_Pa: number, volume_m3: number, temperature_K: number): number {
  return (pressure_Pa * volume_m3) / (R_J_per_molK * temperature_K);
}

/**
 * The closed cell's gas space. The electrodes breathe into it: the free volume shrinks by the
 * electrodes' volume change, taken linear in state of charge (graphite grows 13.2 % on full
 * lithiation, ../shared/physics.md), and returns each cycle, whereas evolved gas stays.
 */
export class HeadspaceModel {
  /** Electrode volume change per unit state of charge, m³. */
  private readonly breathing_m3: number;
  private readonly empty_m3: number;
  private readonly initialPressure_Pa: number;
  private filling_mol = NaN;

  constructor(p: HeadspaceParams) {
    this.initialPressure_Pa = p["Initial pressure [Pa]"];
    this.empty_m3 = p["Headspace volume [m3]"];
    this.breathing_m3 =
      p["Negative electrode volume [m3]"] * p["Negative electrode expansion at full charge [1]"] +
      p["Positive electrode volume [m3]"] * p["Positive electrode expansion at full charge [1]"];
    if (!(this.empty_m3 - Math.max(0, this.breathing_m3) > 0)) {
      throw new Error(`headspace of ${this.empty_m3} m³ is smaller than the electrodes' expansion (${this.breathing_m3} m³); enlarge "Headspace volume [m3]"`);
    }
  }

  /** Free volume at a state of charge (the headspace volume is the value at state of charge 0). */
  volume_m3(soc: number): number {
    return this.empty_m3 - this.breathing_m3 * soc;
  }

  /** Fills the headspace with gas at the initial pressure and the cell's initial temperature. */
  init(s: CellState): void {
    s.headspace_m3 = this.volume_m3(s.soc);
    this.filling_mol = idealGasAmount_mol(this.initialPressure_Pa, s.headspace_m3, s.temperature_K);
    s.evolved_gas_mol = 0;
    s.gas_rate_mol_per_s = 0;
    s.gas_mol = this.filling_mol;
    s.pressure_Pa = this.initialPressure_Pa;
  }

  step(s: CellState, evolved_mol: number, rate_mol_per_s: number): void {
    s.headspace_m3 = this.volume_m3(s.soc);
    s.evolved_gas_mol = evolved_mol;
    s.gas_rate_mol_per_s = rate_mol_per_s;
    s.gas_mol = this.filling_mol + evolved_mol;
    s.pressure_Pa = idealGasPressure_Pa(s.gas_mol, s.temperature_K, s.headspace_m3);
  }
}
