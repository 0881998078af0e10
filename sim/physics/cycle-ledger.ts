import { SECONDS_PER_HOUR } from "./constants.ts";
import type { CellState } from "./cell-state.ts";
import type { GasGeneration } from "./gas.ts";

/** Where the gas rate first passed the preset's onset threshold in a cycle. */
export interface GasOnset {
  test_time_s: number;
  voltage_V: number;
  soc: number;
  /** Negative electrode against its reference (vs Li/Li⁺ for the full cell). */
  electrode_potential_V: number;
}

/** The true figures of one cycle, against which analysis is scored. */
export interface CycleSummary {
  cycle: number;
  /** False for a cycle cut short by the end of the run. */
  complete: boolean;
  start_s: number;
  end_s: number;
  /** ∫I dt over positive current (BDF charge), A·h. */
  charge_Ah: number;
  /** ∫|I| dt over negative current, A·h. */
  discharge_Ah: number;
  /** Charge in the storing direction (sodiation of a half cell, charge of a full cell), A·h. */
  stored_Ah: number;
  released_Ah: number;
  /** released / stored. */
  coulombic_efficiency: number;
  side_reaction_Ah: number;
  /** The same by side reaction (names from the preset). */
  side_reaction_by_name_Ah: Record<string, number>;
  soc_start: number;
  soc_end: number;
  /** Gas made by side reactions in this cycle, mol; null without a headspace. */
  gas_mol: number | null;
  gas_by_species_mol: Record<string, number> | null;
  gas_onset: GasOnset | null;
  stress_thickness_min_N_per_m: number | null;
  stress_thickness_max_N_per_m: number | null;
  stress_thickness_amplitude_N_per_m: number | null;
  curvature_amplitude_per_m: number | null;
}

export interface LedgerOptions {
  storingSign: 1 | -1;
  sideReactions: { names: readonly string[]; consumed_As: Float64Array };
  gas?: { generation: GasGeneration; onsetThreshold_mol_per_s: number };
  stress: boolean;
}

/**
 * Accumulates each cycle's true figures step by step and hands a summary over when the cycle
 * ends. A step's charge belongs to the cycle of the step that drove it; its sign decides whether
 * it counts as charge or discharge.
 */
export class CycleLedger {
  private open = false;
  private cycle = 0;
  private start_s = 0;
  private last_s = 0;
  private positive_As = 0;
  private negative_As = 0;
  private side_Ah_atStart = 0;
  private side_Ah = 0;
  private soc_start = 0;
  private soc_end = 0;
  private gasAtStart_mol: Float64Array | null = null;
  /** Gas made by each reaction up to the last step observed. */
  private readonly gasSoFar_mol: Float64Array | null;
  private readonly sideSoFar_As: Float64Array;
  private sideAtStart_As: Float64Array;
  private onset: GasOnset | null = null;
  private stressMin = Infinity;
  private stressMax = -Infinity;
  private curvatureMin = Infinity;
  private curvatureMax = -Infinity;

  constructor(
    private readonly options: LedgerOptions,
    private readonly emit: (summary: CycleSummary) => void,
  ) {
    this.gasSoFar_mol = options.gas ? Float64Array.from(options.gas.generation.evolved_mol) : null;
    this.sideSoFar_As = Float64Array.from(options.sideReactions.consumed_As);
    this.sideAtStart_As = Float64Array.from(this.sideSoFar_As);
  }

  /** The initial state opens cycle 1. */
  start(s: CellState): void {
    this.side_Ah = s.side_reaction_charge_Ah;
    this.soc_end = s.soc;
    this.begin(s, s.test_time_s);
    this.observe(s);
  }

  /** One step: `charge_As` is ∫I dt over the step that ended at `s`. */
  record(s: CellState, charge_As: number): void {
    if (this.open && (s.step_index < 0 || s.cycle_count !== this.cycle)) this.emit(this.summary(true));
    if (s.step_index < 0) {
      this.last_s = s.test_time_s;
      return;
    }
    if (!this.open) this.begin(s, this.last_s);
    if (charge_As > 0) this.positive_As += charge_As;
    else this.negative_As -= charge_As;
    this.observe(s);
  }

  /** Summary of the cycle still running, marked incomplete; null once the protocol has finished. */
  partial(): CycleSummary | null {
    return this.open ? this.summary(false) : null;
  }

  private begin(s: CellState, start_s: number): void {
    this.open = true;
    this.cycle = s.cycle_count;
    this.start_s = start_s;
    this.positive_As = 0;
    this.negative_As = 0;
    this.side_Ah_atStart = this.side_Ah;
    this.soc_start = this.soc_end;
    this.gasAtStart_mol = this.gasSoFar_mol && Float64Array.from(this.gasSoFar_mol);
    this.sideAtStart_As = Float64Array.from(this.sideSoFar_As);
    this.onset = null;
    this.stressMin = this.curvatureMin = Infinity;
    this.stressMax = this.curvatureMax = -Infinity;
  }

  private observe(s: CellState): void {
    this.last_s = s.test_time_s;
    this.side_Ah = s.side_reaction_charge_Ah;
    this.soc_end = s.soc;
    const gas = this.options.gas;
    this.sideSoFar_As.set(this.options.sideReactions.consumed_As);
    if (gas) this.gasSoFar_mol!.set(gas.generation.evolved_mol);
    if (gas && this.onset === null && s.gas_rate_mol_per_s > gas.onsetThreshold_mol_per_s) {
      this.onset = { test_time_s: s.test_time_s, voltage_V: s.voltage_V, soc: s.soc, electrode_potential_V: s.electrode_potential_V };
    }
    if (this.options.stress) {
      this.stressMin = Math.min(this.stressMin, s.stress_thickness_N_per_m);
      this.stressMax = Math.max(this.stressMax, s.stress_thickness_N_per_m);
      this.curvatureMin = Math.min(this.curvatureMin, s.curvature_per_m);
      this.curvatureMax = Math.max(this.curvatureMax, s.curvature_per_m);
    }
  }

  private summary(complete: boolean): CycleSummary {
    if (complete) this.open = false;
    const positive_Ah = this.positive_As / SECONDS_PER_HOUR;
    const negative_Ah = this.negative_As / SECONDS_PER_HOUR;
    const stored_Ah = this.options.storingSign > 0 ? positive_Ah : negative_Ah;
    const released_Ah = this.options.storingSign > 0 ? negative_Ah : positive_Ah;
    const gas = this.options.gas;
    let gas_mol: number | null = null;
    let bySpecies: Record<string, number> | null = null;
    if (gas && this.gasAtStart_mol && this.gasSoFar_mol) {
      const atStart = this.gasAtStart_mol;
      gas_mol = 0;
      bySpecies = {};
      this.gasSoFar_mol.forEach((n, k) => {
        const species = gas.generation.species[k]!;
        if (species === "") return;
        const made = n - atStart[k]!;
        gas_mol! += made;
        bySpecies![species] = (bySpecies![species] ?? 0) + made;
      });
    }
    const byName: Record<string, number> = {};
    this.options.sideReactions.names.forEach((name, k) => {
      byName[name] = (byName[name] ?? 0) + (this.sideSoFar_As[k]! - this.sideAtStart_As[k]!) / SECONDS_PER_HOUR;
    });
    const stress = this.options.stress;
    return {
      cycle: this.cycle,
      complete,
      start_s: this.start_s,
      end_s: this.last_s,
      charge_Ah: positive_Ah,
      discharge_Ah: negative_Ah,
      stored_Ah,
      released_Ah,
      coulombic_efficiency: released_Ah / stored_Ah,
      side_reaction_Ah: this.side_Ah - this.side_Ah_atStart,
      side_reaction_by_name_Ah: byName,
      soc_start: this.soc_start,
      soc_end: this.soc_end,
      gas_mol,
      gas_by_species_mol: bySpecies,
      gas_onset: this.onset,
      stress_thickness_min_N_per_m: stress ? this.stressMin : null,
      stress_thickness_max_N_per_m: stress ? this.stressMax : null,
      stress_thickness_amplitude_N_per_m: stress ? this.stressMax - this.stressMin : null,
      curvature_amplitude_per_m: stress ? this.curvatureMax - this.curvatureMin : null,
    };
  }
}
