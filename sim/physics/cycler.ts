import type { ProtocolParams, ProtocolStepParams } from "./preset-schema.ts";

/** A protocol step with its current resolved to amperes. */
export interface ResolvedStep {
  /** 0 for a rest. */
  current_A: number;
  /** Rest length or the step's time limit; Infinity when only a cut-off ends it. */
  duration_s: number;
  lower_V: number;
  upper_V: number;
}

/**
 * The cycler: runs the protocol's steps in order, `Number of cycles [1]` times, then holds the
 * cell at open circuit. A constant-current step ends on the step at which the voltage crosses its
 * cut-off (or its time limit passes); a rest ends when its time is up. Transitions take effect
 * from the next step, so the current recorded at an instant is the one that drove the cell to it.
 */
export class Cycler {
  readonly steps: readonly ResolvedStep[];
  readonly cycles: number;
  cycle = 1;
  stepIndex = 0;
  stepCount = 1;
  finished = false;
  private stepStart_s = 0;

  constructor(protocol: ProtocolParams, capacity_Ah: number, activeMass_g: number) {
    this.cycles = protocol["Number of cycles [1]"];
    this.steps = protocol.Steps.map((s, i) => resolveStep(s, i, capacity_Ah, activeMass_g));
  }

  /** Setpoint of the active step. */
  current_A(): number {
    return this.finished ? 0 : this.steps[this.stepIndex]!.current_A;
  }

  /** Ends the active step if its condition is met at this instant. */
  afterStep(time_s: number, voltage_V: number): void {
    if (this.finished) return;
    const step = this.steps[this.stepIndex]!;
    const ended =
      time_s - this.stepStart_s >= step.duration_s ||
      (step.current_A > 0 && voltage_V >= step.upper_V) ||
      (step.current_A < 0 && voltage_V <= step.lower_V);
    if (!ended) return;
    this.stepStart_s = time_s;
    this.stepCount++;
    this.stepIndex++;
    if (this.stepIndex < this.steps.length) return;
    if (this.cycle < this.cycles) {
      this.cycle++;
      this.stepIndex = 0;
    } else {
      this.finished = true;
      this.stepIndex = -1;
    }
  }
}

function resolveStep(s: ProtocolStepParams, index: number, capacity_Ah: number, activeMass_g: number): ResolvedStep {
  const at = `protocol step ${index}`;
  const ways = (["Rest [s]", "Current [A]", "C-rate [1/h]", "Specific current [mA/g]"] as const).filter((k) => s[k] !== undefined);
  if (ways.length !== 1) {
    throw new Error(`${at}: give exactly one of "Rest [s]", "Current [A]", "C-rate [1/h]", "Specific current [mA/g]" (got ${ways.length ? ways.join(", ") : "none"})`);
  }
  const lower_V = s["Lower voltage cut-off [V]"] ?? -Infinity;
  const upper_V = s["Upper voltage cut-off [V]"] ?? Infinity;
  if (s["Rest [s]"] !== undefined) {
    if (s["Lower voltage cut-off [V]"] !== undefined || s["Upper voltage cut-off [V]"] !== undefined || s["Time limit [s]"] !== undefined) {
      throw new Error(`${at}: a rest ends after "Rest [s]" only; remove its cut-offs and time limit`);
    }
    return { current_A: 0, duration_s: s["Rest [s]"], lower_V, upper_V };
  }
  const current_A =
    s["Current [A]"] ?? (s["C-rate [1/h]"] !== undefined ? s["C-rate [1/h]"] * capacity_Ah : (s["Specific current [mA/g]"]! * activeMass_g) / 1000);
  const duration_s = s["Time limit [s]"] ?? Infinity;
  if (current_A === 0) throw new Error(`${at}: a constant-current step needs a non-zero current (use "Rest [s]" for open circuit)`);
  if (current_A > 0 && upper_V === Infinity && duration_s === Infinity) {
    throw new Error(`${at}: a charging step (positive current) needs "Upper voltage cut-off [V]" or "Time limit [s]"`);
  }
  if (current_A < 0 && lower_V === -Infinity && duration_s === Infinity) {
    throw new Error(`${at}: a discharging step (negative current) needs "Lower voltage cut-off [V]" or "Time limit [s]"`);
  }
  return { current_A, duration_s, lower_V, upper_V };
}
