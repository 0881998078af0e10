import type { CellAnalysis } from "../analysis/cell.ts";
import type { CycleCapacity, HalfCycleCapacity } from "../analysis/capacity.ts";
import type { CyclerCapacityCheck } from "../analysis/cycler-check.ts";
import type { CycleGas } from "../analysis/gas.ts";
import type { CycleStress } from "../analysis/stress.ts";

interface CycleFacts {
  capacity: CycleCapacity;
  charge?: HalfCycleCapacity;
  discharge?: HalfCycleCapacity;
  cyclerCharge?: CyclerCapacityCheck;
  cyclerDischarge?: CyclerCapacityCheck;
  gas?: CycleGas;
  stress?: CycleStress;
}

/**
 * One column of the per-cycle table: its BDF-style name for the CSV (quantity then unit spelled
 * out, as `charge_capacity_ampere_hour`), its name in the JSON document (BDF's short unit forms,
 * as `charge_capacity_ah`), and where its value comes from. A column appears only when some cycle
 * has a value for it.
 */
interface Column {
  csv: string;
  json: string;
  value(facts: CycleFacts): number | undefined;
}

const Ah = (h: HalfCycleCapacity | undefined): number | undefined => (h === undefined ? undefined : h.charge_As / 3600);

const COLUMNS: Column[] = [
  { csv: "cycle_count", json: "cycle", value: (f) => f.capacity.cycle },
  { csv: "cycler_cycle_count", json: "cycler_cycle", value: (f) => f.capacity.cyclerCycle },
  { csv: "cycle_start_test_time_second", json: "start_time_s", value: (f) => (f.capacity.in ?? f.capacity.out)?.startTime_s },
  { csv: "cycle_end_test_time_second", json: "end_time_s", value: (f) => (f.capacity.out ?? f.capacity.in)?.endTime_s },
  { csv: "charge_capacity_ampere_hour", json: "charge_capacity_ah", value: (f) => Ah(f.charge) },
  { csv: "discharge_capacity_ampere_hour", json: "discharge_capacity_ah", value: (f) => Ah(f.discharge) },
  { csv: "cycler_charge_capacity_ampere_hour", json: "cycler_charge_capacity_ah", value: (f) => (f.cyclerCharge === undefined ? undefined : f.cyclerCharge.cycler_mAh / 1000) },
  { csv: "cycler_discharge_capacity_ampere_hour", json: "cycler_discharge_capacity_ah", value: (f) => (f.cyclerDischarge === undefined ? undefined : f.cyclerDischarge.cycler_mAh / 1000) },
  { csv: "specific_charge_capacity_milliampere_hour_per_gram", json: "specific_charge_capacity_mah_per_g", value: (f) => f.charge?.specificCapacity_mAh_per_g },
  { csv: "specific_discharge_capacity_milliampere_hour_per_gram", json: "specific_discharge_capacity_mah_per_g", value: (f) => f.discharge?.specificCapacity_mAh_per_g },
  { csv: "coulombic_efficiency", json: "coulombic_efficiency", value: (f) => f.capacity.coulombicEfficiency },
  { csv: "cumulative_coulombic_efficiency", json: "cumulative_coulombic_efficiency", value: (f) => f.capacity.cumulativeCoulombicEfficiency },
  { csv: "energy_efficiency", json: "energy_efficiency", value: (f) => f.capacity.energyEfficiency },
  { csv: "capacity_retention", json: "capacity_retention", value: (f) => f.capacity.retention },
  { csv: "charge_energy_watt_hour", json: "charge_energy_wh", value: (f) => f.charge?.energy_Wh },
  { csv: "discharge_energy_watt_hour", json: "discharge_energy_wh", value: (f) => f.discharge?.energy_Wh },
  { csv: "mean_charge_voltage_volt", json: "mean_charge_voltage_v", value: (f) => f.charge?.meanVoltage_V },
  { csv: "mean_discharge_voltage_volt", json: "mean_discharge_voltage_v", value: (f) => f.discharge?.meanVoltage_V },
  { csv: "voltage_hysteresis_volt", json: "voltage_hysteresis_v", value: (f) => f.capacity.hysteresis_V },
  { csv: "gas_amount_mol", json: "gas_amount_mol", value: (f) => f.gas?.irreversible_mol },
  { csv: "reversible_gas_amount_mol", json: "reversible_gas_amount_mol", value: (f) => f.gas?.reversible_mol },
  { csv: "gas_onset_voltage_volt", json: "gas_onset_voltage_v", value: (f) => f.gas?.onset?.voltage_V },
  { csv: "gas_onset_state_of_charge", json: "gas_onset_state_of_charge", value: (f) => f.gas?.onset?.stateOfCharge },
  { csv: "gas_onset_test_time_second", json: "gas_onset_time_s", value: (f) => f.gas?.onset?.time_s },
  { csv: "stress_thickness_min_newton_per_metre", json: "stress_thickness_min_n_per_m", value: (f) => f.stress?.min_N_per_m },
  { csv: "stress_thickness_max_newton_per_metre", json: "stress_thickness_max_n_per_m", value: (f) => f.stress?.max_N_per_m },
  { csv: "stress_thickness_amplitude_newton_per_metre", json: "stress_thickness_amplitude_n_per_m", value: (f) => f.stress?.amplitude_N_per_m },
  { csv: "reversible_stress_thickness_newton_per_metre", json: "reversible_stress_thickness_n_per_m", value: (f) => f.stress?.reversibleAmplitude_N_per_m },
  { csv: "irreversible_stress_thickness_newton_per_metre", json: "irreversible_stress_thickness_n_per_m", value: (f) => f.stress?.irreversibleDrift_N_per_m },
];

export interface CycleTable {
  /** CSV column names, in order. */
  csvNames: string[];
  /** The same columns' names in the JSON document. */
  jsonNames: string[];
  /** One row per cycle; NaN where a cycle has no value. */
  rows: number[][];
}

export function cycleTable(analysis: CellAnalysis): CycleTable {
  const facts = analysis.cycles.map((capacity, k): CycleFacts => {
    const halves = [capacity.in, capacity.out];
    const charge = halves.find((h) => h?.direction === "charge");
    const discharge = halves.find((h) => h?.direction === "discharge");
    return {
      capacity,
      charge,
      discharge,
      cyclerCharge: charge && analysis.cyclerCheck.find((c) => c.direction === "charge" && c.startTime_s === charge.startTime_s),
      cyclerDischarge: discharge && analysis.cyclerCheck.find((c) => c.direction === "discharge" && c.startTime_s === discharge.startTime_s),
      gas: analysis.gas?.cycles[k],
      stress: analysis.stress?.cycles[k],
    };
  });
  const present = COLUMNS.filter((column) => facts.some((f) => column.value(f) !== undefined));
  return {
    csvNames: present.map((c) => c.csv),
    jsonNames: present.map((c) => c.json),
    rows: facts.map((f) => present.map((c) => c.value(f) ?? Number.NaN)),
  };
}

/** The table as CSV: a header of BDF-style names, numbers in their shortest exact form, empty cells for no value. */
export function cycleTableCsv(table: CycleTable): string {
  const lines = [table.csvNames.join(",")];
  for (const row of table.rows) lines.push(row.map((v) => (Number.isFinite(v) ? String(v) : "")).join(","));
  return lines.join("\n") + "\n";
}
