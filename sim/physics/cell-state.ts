/**
 * The whole physical state of a cell at one instant, refreshed in place every step so stepping
 * allocates nothing. Quantities of a submodel the preset does not have (gas, stress, optics,
 * stack) stay NaN.
 */
export interface CellState {
  /** Seconds since the start of the run; always a whole number of steps. */
  test_time_s: number;
  unix_time_s: number;
  /** Terminal current; positive charges the cell (BDF). */
  current_A: number;
  voltage_V: number;
  ocv_V: number;
  /** Negative electrode against its reference (Li/Li⁺ in a full cell); the cell voltage when the preset has no such table. */
  electrode_potential_V: number;
  /** Fraction of the true reversible capacity stored in the electrode under test. */
  soc: number;
  /** ∫I dt since the start, signed. */
  charge_Ah: number;
  /** ∫|I| dt since the start. */
  throughput_Ah: number;
  /** Charge consumed by side reactions since the start (the ledger that makes Coulombic efficiency < 1). */
  side_reaction_charge_Ah: number;
  /** 1-based; the cycle whose step drove the current up to this instant. */
  cycle_count: number;
  /** 1-based count of protocol steps run so far, the final open-circuit rest included. */
  step_count: number;
  /** Index of the active step in the protocol's Steps; -1 once the protocol has finished. */
  step_index: number;
  temperature_K: number;
  ambient_temperature_K: number;
  /** Total gas in the headspace, the filling gas included. */
  gas_mol: number;
  /** Gas made by side reactions since the start. */
  evolved_gas_mol: number;
  gas_rate_mol_per_s: number;
  pressure_Pa: number;
  headspace_m3: number;
  stress_thickness_N_per_m: number;
  curvature_per_m: number;
  spot_separation_m: number;
  /** Spot centre on each beam's detector, from the detector centre. */
  spot_positions_m: Float64Array;
  /** Lateral-effect detectors' electrode currents: A₁, B₁, A₂, B₂. */
  psd_currents_A: Float64Array;
  /** Photocurrent sum per detector (A + B). */
  psd_sums_A: Float64Array;
  /** Quadrant detectors' segment currents: A, B, C, D of the first beam, then of the second. */
  quadrant_currents_A: Float64Array;
  /** A spot is off a detector's linear range (its position is then clamped). */
  optics_saturated: boolean;
  applied_pressure_Pa: number;
  stack_pressure_Pa: number;
}

export function newCellState(): CellState {
  return {
    test_time_s: 0,
    unix_time_s: 0,
    current_A: 0,
    voltage_V: NaN,
    ocv_V: NaN,
    electrode_potential_V: NaN,
    soc: NaN,
    charge_Ah: 0,
    throughput_Ah: 0,
    side_reaction_charge_Ah: 0,
    cycle_count: 1,
    step_count: 1,
    step_index: 0,
    temperature_K: NaN,
    ambient_temperature_K: NaN,
    gas_mol: NaN,
    evolved_gas_mol: NaN,
    gas_rate_mol_per_s: NaN,
    pressure_Pa: NaN,
    headspace_m3: NaN,
    stress_thickness_N_per_m: NaN,
    curvature_per_m: NaN,
    spot_separation_m: NaN,
    spot_positions_m: new Float64Array(2).fill(NaN),
    psd_currents_A: new Float64Array(4).fill(NaN),
    psd_sums_A: new Float64Array(2).fill(NaN),
    quadrant_currents_A: new Float64Array(8).fill(NaN),
    optics_saturated: false,
    applied_pressure_Pa: NaN,
    stack_pressure_Pa: NaN,
  };
}

export function copyCellState(from: CellState, to: CellState): void {
  to.test_time_s = from.test_time_s;
  to.unix_time_s = from.unix_time_s;
  to.current_A = from.current_A;
  to.voltage_V = from.voltage_V;
  to.ocv_V = from.ocv_V;
  to.electrode_potential_V = from.electrode_potential_V;
  to.soc = from.soc;
  to.charge_Ah = from.charge_Ah;
  to.throughput_Ah = from.throughput_Ah;
  to.side_reaction_charge_Ah = from.side_reaction_charge_Ah;
  to.cycle_count = from.cycle_count;
  to.step_count = from.step_count;
  to.step_index = from.step_index;
  to.temperature_K = from.temperature_K;
  to.ambient_temperature_K = from.ambient_temperature_K;
  to.gas_mol = from.gas_mol;
  to.evolved_gas_mol = from.evolved_gas_mol;
  to.gas_rate_mol_per_s = from.gas_rate_mol_per_s;
  to.pressure_Pa = from.pressure_Pa;
  to.headspace_m3 = from.headspace_m3;
  to.stress_thickness_N_per_m = from.stress_thickness_N_per_m;
  to.curvature_per_m = from.curvature_per_m;
  to.spot_separation_m = from.spot_separation_m;
  to.spot_positions_m.set(from.spot_positions_m);
  to.psd_currents_A.set(from.psd_currents_A);
  to.psd_sums_A.set(from.psd_sums_A);
  to.quadrant_currents_A.set(from.quadrant_currents_A);
  to.optics_saturated = from.optics_saturated;
  to.applied_pressure_Pa = from.applied_pressure_Pa;
  to.stack_pressure_Pa = from.stack_pressure_Pa;
}

function lerp(a: number, b: number, w: number): number {
  return a + (b - a) * w;
}

function lerpArray(a: Float64Array, b: Float64Array, w: number, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = lerp(a[i]!, b[i]!, w);
}

/**
 * The state at a time between two steps, linear in time. Exact for the current (the true current
 * is linear between steps) and for charge; an approximation to the step size for the rest. Counts
 * and flags are those of the later step, whose interval contains the time.
 */
export function interpolateCellState(a: CellState, b: CellState, time_s: number, out: CellState): void {
  const span_s = b.test_time_s - a.test_time_s;
  const w = span_s > 0 ? (time_s - a.test_time_s) / span_s : 1;
  copyCellState(b, out);
  out.test_time_s = time_s;
  out.unix_time_s = lerp(a.unix_time_s, b.unix_time_s, w);
  out.current_A = lerp(a.current_A, b.current_A, w);
  out.voltage_V = lerp(a.voltage_V, b.voltage_V, w);
  out.ocv_V = lerp(a.ocv_V, b.ocv_V, w);
  out.electrode_potential_V = lerp(a.electrode_potential_V, b.electrode_potential_V, w);
  out.soc = lerp(a.soc, b.soc, w);
  out.charge_Ah = lerp(a.charge_Ah, b.charge_Ah, w);
  out.throughput_Ah = lerp(a.throughput_Ah, b.throughput_Ah, w);
  out.side_reaction_charge_Ah = lerp(a.side_reaction_charge_Ah, b.side_reaction_charge_Ah, w);
  out.temperature_K = lerp(a.temperature_K, b.temperature_K, w);
  out.ambient_temperature_K = lerp(a.ambient_temperature_K, b.ambient_temperature_K, w);
  out.gas_mol = lerp(a.gas_mol, b.gas_mol, w);
  out.evolved_gas_mol = lerp(a.evolved_gas_mol, b.evolved_gas_mol, w);
  out.pressure_Pa = lerp(a.pressure_Pa, b.pressure_Pa, w);
  out.headspace_m3 = lerp(a.headspace_m3, b.headspace_m3, w);
  out.stress_thickness_N_per_m = lerp(a.stress_thickness_N_per_m, b.stress_thickness_N_per_m, w);
  out.curvature_per_m = lerp(a.curvature_per_m, b.curvature_per_m, w);
  out.spot_separation_m = lerp(a.spot_separation_m, b.spot_separation_m, w);
  lerpArray(a.spot_positions_m, b.spot_positions_m, w, out.spot_positions_m);
  lerpArray(a.psd_currents_A, b.psd_currents_A, w, out.psd_currents_A);
  lerpArray(a.psd_sums_A, b.psd_sums_A, w, out.psd_sums_A);
  lerpArray(a.quadrant_currents_A, b.quadrant_currents_A, w, out.quadrant_currents_A);
  out.stack_pressure_Pa = lerp(a.stack_pressure_Pa, b.stack_pressure_Pa, w);
}
