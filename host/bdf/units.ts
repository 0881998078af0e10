/**
 * Units of BDF machine-readable column names, read from the name's unit suffix
 * (Battery Data Format ontology, battery-data-alliance/battery-data-format-ontology: e.g.
 * `test_time_second`, `charging_capacity_ampere_hour` with alternative label `charging_capacity_ah`).
 * Longer suffixes come first so `_ampere_hour` wins over `_hour`.
 */
const UNIT_SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ["_ampere_hour", "Ah"],
  ["_watt_hour", "Wh"],
  ["_ah", "Ah"],
  ["_wh", "Wh"],
  ["_second", "s"],
  ["_volt", "V"],
  ["_ampere", "A"],
  ["_watt", "W"],
  ["_ohm", "Ω"],
  ["_celsius", "°C"],
  ["_degc", "°C"],
  ["_kelvin", "K"],
  ["_pascal", "Pa"],
  ["_pa", "Pa"],
  ["_hertz", "Hz"],
  ["_metre", "m"],
  ["_mol", "mol"],
  ["_per_metre", "1/m"],
  ["_newton_per_metre", "N/m"],
  ["_count", "1"],
  ["_index", "1"],
  ["_dimensionless", "1"],
];

/** The unit of a BDF column, or "" when its name carries none the format defines. */
export function unitOfColumn(name: string): string {
  let best: readonly [string, string] | undefined;
  for (const entry of UNIT_SUFFIXES) {
    if (name.endsWith(entry[0]) && (best === undefined || entry[0].length > best[0].length)) best = entry;
  }
  return best === undefined ? "" : best[1];
}

export const TIME_COLUMN = "test_time_second";
