import { SECONDS_PER_HOUR } from "./constants.ts";
import type { ElectrochemistryParams, SideReactionParams } from "./preset-schema.ts";
import type { CellState } from "./cell-state.ts";
import { Table } from "./table.ts";

const GATES = ["always", "cell voltage above", "cell voltage below", "negative electrode potential below"] as const;

/**
 * Equivalent circuit (OCV(SOC), series resistance, one RC pair) with a charge ledger. Charge that
 * flows in the storing direction goes either into the electrode or into side reactions; side
 * reactions are what make Coulombic efficiency < 1, so per step
 *   sign·∫I dt = Δ(stored charge) + ∫I_side dt
 * holds exactly (the true current is linear between steps, so ∫I dt over a step is the trapezoid).
 */
export class Electrochemistry {
  readonly capacity_Ah: number;
  /** +1 when positive current stores charge in the electrode under test, -1 when negative current does. */
  readonly storingSign: 1 | -1;
  readonly reactions: readonly SideReactionParams[];
  /** Side-reaction currents over the last step, one per reaction, A. */
  readonly sideCurrents_A: Float64Array;
  /** Charge each side reaction has consumed since the start, A·s. */
  readonly consumed_As: Float64Array;
  private readonly capacity_As: number;
  private readonly gate: Uint8Array;
  private readonly gatePotential_V: Float64Array;
  private readonly fraction: Float64Array;
  private readonly saturation_As: Float64Array;
  private readonly ocv: Table;
  private readonly negative: Table | undefined;
  private readonly r0_ohm: number;
  private readonly r1_ohm: number;
  private readonly rcDecay: number;
  private stored_As: number;
  private rc_V = 0;

  constructor(p: ElectrochemistryParams, step_s: number) {
    this.capacity_Ah = (p["Active mass [g]"] * p["Specific capacity [mA.h/g]"]) / 1000;
    this.capacity_As = this.capacity_Ah * SECONDS_PER_HOUR;
    this.storingSign = p["Charge is stored by"] === "positive current" ? 1 : -1;
    this.reactions = p["Side reactions"];
    const n = this.reactions.length;
    this.sideCurrents_A = new Float64Array(n);
    this.consumed_As = new Float64Array(n);
    this.gate = Uint8Array.from(this.reactions, (r) => GATES.indexOf(r.Gate));
    this.gatePotential_V = Float64Array.from(this.reactions, (r) => r["Gate potential [V]"] ?? 0);
    this.fraction = Float64Array.from(this.reactions, (r) => r["Fraction of storing current [1]"]);
    this.saturation_As = Float64Array.from(this.reactions, (r) => (r["Saturation charge [A.h]"] ?? Infinity) * SECONDS_PER_HOUR);
    const ocv = p["Open-circuit voltage"];
    this.ocv = new Table(ocv["State of charge [1]"], ocv["Voltage [V]"], "open-circuit voltage");
    const neg = p["Negative electrode potential"];
    this.negative = neg && new Table(neg["State of charge [1]"], neg["Potential [V]"], "negative electrode potential");
    this.r0_ohm = p["Series resistance [ohm]"];
    this.r1_ohm = p["RC resistance [ohm]"];
    this.rcDecay = Math.exp(-step_s / p["RC time constant [s]"]);
    this.stored_As = p["Initial state of charge [1]"] * this.capacity_As;
  }

  /** Fills the electrical quantities of the initial state (at rest). */
  init(s: CellState): void {
    s.soc = this.stored_As / this.capacity_As;
    this.refreshVoltage(s, 0);
  }

  /**
   * Advances over one step during which the current goes linearly from `s.current_A` to
   * `current_A`. Side reactions open or close on the potentials at the start of the step.
   */
  step(s: CellState, current_A: number, step_s: number): void {
    const charge_As = 0.5 * (s.current_A + current_A) * step_s;
    const storing_A = (this.storingSign * charge_As) / step_s;
    let side_A = 0;
    for (let k = 0; k < this.sideCurrents_A.length; k++) {
      let i_A = 0;
      if (storing_A > 0 && this.isOpen(k, s)) {
        const left = 1 - this.consumed_As[k]! / this.saturation_As[k]!;
        i_A = left > 0 ? this.fraction[k]! * left * storing_A : 0;
      }
      this.sideCurrents_A[k] = i_A;
      this.consumed_As[k]! += i_A * step_s;
      side_A += i_A;
    }
    this.stored_As += this.storingSign * charge_As - side_A * step_s;
    s.soc = this.stored_As / this.capacity_As;
    s.charge_Ah += charge_As / SECONDS_PER_HOUR;
    s.throughput_Ah += Math.abs(charge_As) / SECONDS_PER_HOUR;
    s.side_reaction_charge_Ah += (side_A * step_s) / SECONDS_PER_HOUR;
    s.current_A = current_A;
    this.rc_V = this.rc_V * this.rcDecay + this.r1_ohm * (1 - this.rcDecay) * current_A;
    this.refreshVoltage(s, current_A);
  }

  private isOpen(k: number, s: CellState): boolean {
    // Indices into GATES.
    switch (this.gate[k]) {
      case 0: // always
        return true;
      case 1: // cell voltage above
        return s.voltage_V > this.gatePotential_V[k]!;
      case 2: // cell voltage below
        return s.voltage_V < this.gatePotential_V[k]!;
      default: // negative electrode potential below
        return s.electrode_potential_V < this.gatePotential_V[k]!;
    }
  }

  private refreshVoltage(s: CellState, current_A: number): void {
    s.ocv_V = this.ocv.at(s.soc);
    s.voltage_V = s.ocv_V + current_A * this.r0_ohm + this.rc_V;
    s.electrode_potential_V = this.negative ? this.negative.at(s.soc) : s.voltage_V;
  }
}
