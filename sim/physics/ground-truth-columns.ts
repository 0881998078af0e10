import { ZERO_CELSIUS_K } from "./constants.ts";
import type { CellState } from "./cell-state.ts";

/** One ground-truth column: BDF-style name (quantity_unit, ../shared/physics.md), unit symbol, and where its value comes from. */
export interface GroundTruthColumn {
  name: string;
  unit: string;
  value(s: Readonly<CellState>): number;
}

const always: GroundTruthColumn[] = [
  { name: "test_time_second", unit: "s", value: (s) => s.test_time_s },
  { name: "unix_time_second", unit: "s", value: (s) => s.unix_time_s },
  { name: "voltage_volt", unit: "V", value: (s) => s.voltage_V },
  { name: "current_ampere", unit: "A", value: (s) => s.current_A },
  { name: "cycle_count", unit: "1", value: (s) => s.cycle_count },
  { name: "step_count", unit: "1", value: (s) => s.step_count },
  { name: "step_index", unit: "1", value: (s) => s.step_index },
  { name: "state_of_charge", unit: "1", value: (s) => s.soc },
  { name: "open_circuit_voltage_volt", unit: "V", value: (s) => s.ocv_V },
  { name: "electrode_potential_volt", unit: "V", value: (s) => s.electrode_potential_V },
  { name: "charge_ampere_hour", unit: "A.h", value: (s) => s.charge_Ah },
  { name: "side_reaction_charge_ampere_hour", unit: "A.h", value: (s) => s.side_reaction_charge_Ah },
  { name: "surface_temperature_celsius", unit: "degC", value: (s) => s.temperature_K - ZERO_CELSIUS_K },
  { name: "ambient_temperature_celsius", unit: "degC", value: (s) => s.ambient_temperature_K - ZERO_CELSIUS_K },
];

const gas: GroundTruthColumn[] = [
  { name: "gas_amount_mol", unit: "mol", value: (s) => s.gas_mol },
  { name: "evolved_gas_amount_mol", unit: "mol", value: (s) => s.evolved_gas_mol },
  { name: "gas_rate_mol_per_second", unit: "mol/s", value: (s) => s.gas_rate_mol_per_s },
  { name: "cell_pressure_pa", unit: "Pa", value: (s) => s.pressure_Pa },
  { name: "headspace_volume_cubic_metre", unit: "m3", value: (s) => s.headspace_m3 },
];

const stress: GroundTruthColumn[] = [
  { name: "stress_thickness_newton_per_metre", unit: "N/m", value: (s) => s.stress_thickness_N_per_m },
  { name: "curvature_per_metre", unit: "1/m", value: (s) => s.curvature_per_m },
];

const optics: GroundTruthColumn[] = [
  { name: "spot_separation_metre", unit: "m", value: (s) => s.spot_separation_m },
  { name: "spot1_position_metre", unit: "m", value: (s) => s.spot_positions_m[0]! },
  { name: "spot2_position_metre", unit: "m", value: (s) => s.spot_positions_m[1]! },
  { name: "psd1_a_ampere", unit: "A", value: (s) => s.psd_currents_A[0]! },
  { name: "psd1_b_ampere", unit: "A", value: (s) => s.psd_currents_A[1]! },
  { name: "psd2_a_ampere", unit: "A", value: (s) => s.psd_currents_A[2]! },
  { name: "psd2_b_ampere", unit: "A", value: (s) => s.psd_currents_A[3]! },
  { name: "psd1_sum_ampere", unit: "A", value: (s) => s.psd_sums_A[0]! },
  { name: "psd2_sum_ampere", unit: "A", value: (s) => s.psd_sums_A[1]! },
  { name: "optics_saturated", unit: "1", value: (s) => (s.optics_saturated ? 1 : 0) },
];

const stack: GroundTruthColumn[] = [
  { name: "applied_pressure_pa", unit: "Pa", value: (s) => s.applied_pressure_Pa },
  { name: "surface_pressure_pa", unit: "Pa", value: (s) => s.stack_pressure_Pa },
];

/** The columns a cell with these submodels has. */
export function groundTruthColumns(has: { gas: boolean; stress: boolean; optics: boolean; stack: boolean }): GroundTruthColumn[] {
  return [...always, ...(has.gas ? gas : []), ...(has.stress ? stress : []), ...(has.optics ? optics : []), ...(has.stack ? stack : [])];
}
