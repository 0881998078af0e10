import { copyCellState, interpolateCellState, newCellState, type CellState } from "./cell-state.ts";
import { CycleLedger, type CycleSummary } from "./cycle-ledger.ts";
import { Cycler } from "./cycler.ts";
import { Electrochemistry } from "./electrochemistry.ts";
import { GasGeneration } from "./gas.ts";
import { HeadspaceModel } from "./headspace.ts";
import { OpticalLever } from "./optics.ts";
import type { Preset } from "./preset-schema.ts";
import { StackModel } from "./stack.ts";
import { StressModel } from "./stress.ts";
import { ThermalModel } from "./thermal.ts";

export interface CellOptions {
  /** Unix time of test time 0, s. Default 0. */
  startUnixTime_s?: number;
  /** How far back before the latest step `stateAt` can still look, s (sensors that report a past conversion). Default 5. */
  history_s?: number;
}

/** Figures fixed by the preset that tests and analysis need beside the state. */
export interface CellConstants {
  /** True reversible capacity, A·h. */
  capacity_Ah: number;
  /** +1 when positive current stores charge in the electrode under test, -1 when negative current does. */
  storingSign: 1 | -1;
  step_s: number;
  startUnixTime_s: number;
  /** Stoney's factor E_s·h_s²/(6(1 − ν_s)), N; null without a cantilever. */
  stoney_N: number | null;
  /** Distance d between the two beams on the cantilever, m. */
  beamSpacing_m: number | null;
  /** Spot separation at zero curvature and no tilt, m. */
  referenceSpotSeparation_m: number | null;
  gasOnsetThreshold_mol_per_s: number | null;
}

export type StepListener = (state: Readonly<CellState>) => void;
export type CycleListener = (summary: CycleSummary) => void;

const TIME_TOLERANCE = 1e-9;

/**
 * One simulated cell: the submodels its preset has, stepped together at a fixed step. Each step
 * the cycler sets the current, then temperature, electrochemistry, gas and headspace, stress and
 * optics, and stack pressure follow, and the cycler checks its cut-offs for the next step.
 * Stepping refreshes one preallocated state; listeners see every step (ground truth).
 */
export class Cell {
  readonly preset: Preset;
  readonly constants: CellConstants;
  readonly has: { gas: boolean; stress: boolean; optics: boolean; stack: boolean };
  /** The latest step's state, refreshed in place. */
  readonly state: CellState = newCellState();
  private readonly history: CellState[];
  private readonly query: CellState = newCellState();
  private stepNumber = 0;
  private readonly step_s: number;
  /** Steps per second when that is a whole number, so 40 Hz steps land on the decimal times a cycler logs (3/40, not 3 × 0.025). */
  private readonly stepsPerSecond: number;
  private readonly startUnixTime_s: number;
  private readonly cycler: Cycler;
  private readonly thermal: ThermalModel;
  private readonly echem: Electrochemistry;
  private readonly gas: GasGeneration | undefined;
  private readonly headspace: HeadspaceModel | undefined;
  private readonly stress: StressModel | undefined;
  private readonly optics: OpticalLever | undefined;
  private readonly stack: StackModel | undefined;
  private readonly ledger: CycleLedger;
  private readonly stepListeners: StepListener[] = [];
  private readonly cycleListeners: CycleListener[] = [];

  constructor(preset: Preset, options: CellOptions = {}) {
    this.preset = preset;
    this.step_s = preset["Time step [s]"];
    const rate = 1 / this.step_s;
    this.stepsPerSecond = Math.abs(rate - Math.round(rate)) < 1e-9 * rate ? Math.round(rate) : 0;
    this.startUnixTime_s = options.startUnixTime_s ?? 0;
    const echem = preset.Electrochemistry;
    const reference_K = preset.Thermal["Mean temperature [K]"];
    this.echem = new Electrochemistry(echem, this.step_s);
    this.cycler = new Cycler(preset.Protocol, this.echem.capacity_Ah, echem["Active mass [g]"]);
    this.thermal = new ThermalModel(preset.Thermal, this.step_s);
    if (preset.Headspace) {
      this.gas = new GasGeneration(echem["Side reactions"]);
      this.headspace = new HeadspaceModel(preset.Headspace);
    }
    if (preset.Stress) this.stress = new StressModel(preset.Stress, reference_K);
    if (preset.Optics) this.optics = new OpticalLever(preset.Optics);
    if (preset.Stack) this.stack = new StackModel(preset.Stack, reference_K);
    this.has = { gas: !!this.headspace, stress: !!this.stress, optics: !!this.optics, stack: !!this.stack };
    this.constants = {
      capacity_Ah: this.echem.capacity_Ah,
      storingSign: this.echem.storingSign,
      step_s: this.step_s,
      startUnixTime_s: this.startUnixTime_s,
      stoney_N: this.stress ? this.stress.stoney_N : null,
      beamSpacing_m: this.optics ? this.optics.beamSpacing_m : null,
      referenceSpotSeparation_m: this.optics ? this.optics.referenceSeparation_m : null,
      gasOnsetThreshold_mol_per_s: preset.Headspace ? preset.Headspace["Gas onset threshold [mol/s]"] : null,
    };
    this.ledger = new CycleLedger(
      {
        storingSign: this.echem.storingSign,
        sideReactions: { names: echem["Side reactions"].map((r) => r.Name), consumed_As: this.echem.consumed_As },
        gas: this.gas && { generation: this.gas, onsetThreshold_mol_per_s: this.constants.gasOnsetThreshold_mol_per_s! },
        stress: !!this.stress,
      },
      (summary) => {
        for (let i = 0; i < this.cycleListeners.length; i++) this.cycleListeners[i]!(summary);
      },
    );
    const slots = Math.max(2, Math.ceil((options.history_s ?? 5) / this.step_s) + 1);
    this.history = Array.from({ length: slots }, newCellState);
    this.init();
  }

  /** The protocol has run all its cycles; the cell now rests at open circuit. */
  get finished(): boolean {
    return this.cycler.finished;
  }

  /** Calls `listener` after every step with the new state; returns a function that stops it. */
  onStep(listener: StepListener): () => void {
    this.stepListeners.push(listener);
    return () => this.stepListeners.splice(this.stepListeners.indexOf(listener), 1);
  }

  /** Calls `listener` with each cycle's true figures when the cycle ends. */
  onCycle(listener: CycleListener): () => void {
    this.cycleListeners.push(listener);
    return () => this.cycleListeners.splice(this.cycleListeners.indexOf(listener), 1);
  }

  /** Figures of the cycle still running (incomplete); null once the protocol has finished. */
  runningCycle(): CycleSummary | null {
    return this.ledger.partial();
  }

  /** Runs every step up to test time `time_s` (s since the start) and returns the state at the last one. */
  advanceTo(time_s: number): Readonly<CellState> {
    const limit = time_s / this.step_s + TIME_TOLERANCE;
    while (this.stepNumber + 1 <= limit) this.step();
    return this.state;
  }

  /**
   * The state at test time `time_s`, which may lie between steps: the cell steps past it if
   * needed and interpolates linearly between the two steps around it (exact for current and
   * charge, which are linear between steps; other quantities are within one step's change).
   * Looks back at most `history_s`. The returned object is reused by the next call.
   */
  stateAt(time_s: number): Readonly<CellState> {
    while (this.state.test_time_s < time_s - TIME_TOLERANCE * this.step_s) this.step();
    const before = Math.floor(time_s / this.step_s + TIME_TOLERANCE);
    if (before >= this.stepNumber) return this.state;
    if (before < this.stepNumber - this.history.length + 1 || before < 0) {
      throw new RangeError(
        `cell state at ${time_s} s is no longer kept: the cell is at ${this.state.test_time_s} s and keeps ` +
          `${((this.history.length - 1) * this.step_s).toFixed(3)} s of history (raise history_s)`,
      );
    }
    const a = this.history[before % this.history.length]!;
    const b = this.history[(before + 1) % this.history.length]!;
    interpolateCellState(a, b, time_s, this.query);
    return this.query;
  }

  private init(): void {
    const s = this.state;
    s.test_time_s = 0;
    s.unix_time_s = this.startUnixTime_s;
    s.cycle_count = this.cycler.cycle;
    s.step_count = this.cycler.stepCount;
    s.step_index = this.cycler.stepIndex;
    this.thermal.init(s);
    this.echem.init(s);
    this.headspace?.init(s);
    this.stress?.init(s);
    this.optics?.update(s);
    this.stack?.init(s);
    this.ledger.start(s);
    copyCellState(s, this.history[0]!);
  }

  private step(): void {
    const s = this.state;
    const step_s = this.step_s;
    this.stepNumber++;
    const time_s = this.stepsPerSecond > 0 ? this.stepNumber / this.stepsPerSecond : this.stepNumber * step_s;
    const current_A = this.cycler.current_A();
    const charge_As = 0.5 * (s.current_A + current_A) * step_s;
    const soc_before = s.soc;
    s.test_time_s = time_s;
    s.unix_time_s = this.startUnixTime_s + time_s;
    s.cycle_count = this.cycler.cycle;
    s.step_count = this.cycler.stepCount;
    s.step_index = this.cycler.stepIndex;
    this.thermal.step(s);
    this.echem.step(s, current_A, step_s);
    if (this.gas && this.headspace) {
      const rate_mol_per_s = this.gas.step(this.echem.sideCurrents_A, step_s);
      this.headspace.step(s, this.gas.evolvedTotal_mol, rate_mol_per_s);
    }
    if (this.stress) {
      this.stress.step(s, s.soc - soc_before);
      this.optics?.update(s);
    }
    this.stack?.step(s);
    this.ledger.record(s, charge_As);
    this.cycler.afterStep(time_s, s.voltage_V);
    copyCellState(s, this.history[this.stepNumber % this.history.length]!);
    for (let i = 0; i < this.stepListeners.length; i++) this.stepListeners[i]!(s);
  }
}
