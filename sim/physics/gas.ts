import { F_C_per_mol } from "./constants.ts";
import type { SideReactionParams } from "./preset-schema.ts";

/**
 * Gas made by side reactions: a reaction that passes I_side and gives one molecule per z electrons
 * for a share of its charge makes ṅ = share·I_side / (z·F) (../shared/physics.md: 4 e⁻/O₂, 2 e⁻ per
 * H₂ or C₂H₄).
 */
export class GasGeneration {
  /** Gas made by each reaction since the start, mol (0 for reactions that make none). */
  readonly evolved_mol: Float64Array;
  readonly species: readonly string[];
  /** Sum of `evolved_mol`. */
  evolvedTotal_mol = 0;
  private readonly molPerCoulomb: Float64Array;

  constructor(reactions: readonly SideReactionParams[]) {
    this.species = reactions.map((r) => r.Gas?.Species ?? "");
    this.molPerCoulomb = Float64Array.from(reactions, (r) =>
      r.Gas ? r.Gas["Share of charge [1]"] / (r.Gas["Electrons per molecule [1]"] * F_C_per_mol) : 0,
    );
    this.evolved_mol = new Float64Array(reactions.length);
  }

  /** Adds one step's gas from the side-reaction currents; returns the total rate, mol/s. */
  step(sideCurrents_A: Float64Array, step_s: number): number {
    let rate_mol_per_s = 0;
    for (let k = 0; k < this.molPerCoulomb.length; k++) {
      const r = this.molPerCoulomb[k]! * sideCurrents_A[k]!;
      this.evolved_mol[k]! += r * step_s;
      rate_mol_per_s += r;
    }
    this.evolvedTotal_mol += rate_mol_per_s * step_s;
    return rate_mol_per_s;
  }
}
