import { existsSync, readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { parseFlags } from "../args.ts";
import { UsageError, type Command } from "../command.ts";
import { analyseBdf } from "../../host/analysis/bdf.ts";
import { analyseCell, type CellAnalysis, type CellConfig, type CellSeries } from "../../host/analysis/cell.ts";
import { celsiusToKelvin } from "../../host/analysis/gas.ts";
import { configForRig, rigFromGroundTruthMeta, STRESS_WINDOWS, type RigDescription } from "../../host/analysis/rig-description.ts";
import { readStoreCell } from "../../host/analysis/store-input.ts";
import type { Direction } from "../../host/analysis/steps.ts";
import type { BdfProblem, BdfProblemKind } from "../../host/bdf/problems.ts";
import { readBdfCsv, type BdfTable } from "../../host/bdf/read.ts";
import { storeFromSpec } from "../../host/store/open-store.ts";
import { cycleTable, type CycleTable } from "../../host/report/cycle-table.ts";
import { reportDocument } from "../../host/report/document.ts";
import { writeReport } from "../../host/report/write-report.ts";

const USAGE = `usage: cellrig analyze <file.csv> [options]
       cellrig analyze --store duckdb:<file> --board <id> [options]

  <file.csv>                 a BDF CSV file from a cycler, or a ground-truth CSV written by cellrig sim
                             (its <base>.json beside it supplies headspace, cantilever and beam geometry)
  --store <spec>, --board <id>
                             a cell from the bridge's store: the board's channels named voltage_volt,
                             current_ampere, surface_temperature_celsius, cell_pressure_pa, psd1_a_volt ...
  --json                     print one JSON document {cycles, gas, stress, quality} instead of the table
  --out <dir>                write cycles.csv (BDF-style column names) and every figure as SVG and PNG
  --storing charge|discharge which current direction stores charge in the electrode under test
                             (discharge for sodiation of a hard-carbon half cell; default charge)
  --active-mass-g <g>        active mass, for specific capacities
  --headspace-ml <mL>        closed-cell headspace, enables gas analysis with pressure and temperature
  --onset-mol-per-s <rate>   gas onset threshold (default 2e-11 mol/s)
  --substrate-modulus-gpa <E> --substrate-poisson <ν> --substrate-thickness-um <h>
  --detector-distance-mm <L> --beam-spacing-mm <d> --refractive-index <n> --psd-length-mm <ℓ>
                             cantilever and optics, enable stress analysis from photodiode channels
                             (defaults for any not given: 64 GPa, 0.2, 155 µm, 208 mm, 5 mm, 1.42, 6 mm)

Progress goes to stderr; the table or JSON to stdout.`;

const FLAGS = {
  json: { type: "boolean" },
  out: { type: "string" },
  store: { type: "string" },
  board: { type: "string" },
  storing: { type: "string" },
  "active-mass-g": { type: "string" },
  "headspace-ml": { type: "string" },
  "onset-mol-per-s": { type: "string" },
  "substrate-modulus-gpa": { type: "string" },
  "substrate-poisson": { type: "string" },
  "substrate-thickness-um": { type: "string" },
  "detector-distance-mm": { type: "string" },
  "beam-spacing-mm": { type: "string" },
  "refractive-index": { type: "string" },
  "psd-length-mm": { type: "string" },
} as const;

type Values = ReturnType<typeof parseFlags<typeof FLAGS>>["values"];

interface Analysed {
  name: string;
  series: CellSeries;
  config: CellConfig;
  analysis: CellAnalysis;
  problems?: BdfProblem[];
  excludedRows?: { kind: BdfProblemKind; rows: number[] }[];
}

export const analyze: Command = {
  name: "analyze",
  summary: "analyse a cell (BDF file, simulator ground truth or stored board): per-cycle table, JSON, plots",
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, FLAGS, true);
    const progress = (line: string) => process.stderr.write(`${line}\n`);
    if (positionals.length > 1) throw new UsageError(`give one input file, got ${positionals.length}: ${positionals.join(", ")}`);
    const fromStore = values.store !== undefined || values.board !== undefined;
    if (fromStore && positionals.length > 0) throw new UsageError("give either an input file or --store with --board, not both");
    if (!fromStore && positionals.length === 0) throw new UsageError("give a BDF CSV file, a ground-truth CSV, or --store duckdb:<file> --board <id>");
    const result = fromStore ? await analyseStored(values, progress) : analyseFile(positionals[0], values, progress);
    const table = cycleTable(result.analysis);
    if (values.out !== undefined) {
      const written = writeReport(values.out, { ...result, table, storing: result.config.storing, maxGap_s: result.config.maxGap_s }, progress);
      progress(`wrote ${written.length} files to ${values.out}`);
    }
    const document = reportDocument({ source: result.name, config: result.config, analysis: result.analysis, table, problems: result.problems, excludedRows: result.excludedRows });
    console.log(values.json ? JSON.stringify(document, null, 2) : formatTable(result, table));
    return 0;
  },
};

function analyseFile(path: string, values: Values, progress: (line: string) => void): Analysed {
  if (!existsSync(path)) {
    throw new Error(`input "${path}" does not exist; give a BDF CSV file, a ground-truth CSV written by cellrig sim, or --store duckdb:<file> --board <id>`);
  }
  if (statSync(path).isDirectory()) throw new Error(`input "${path}" is a directory; give the CSV file inside it`);
  if (!path.toLowerCase().endsWith(".csv")) {
    throw new Error(`input "${path}" is not a CSV file; analyze reads BDF CSV files (columns test_time_second, voltage_volt, current_ampere, ...)`);
  }
  progress(`reading ${path}`);
  const table = readBdfCsv({ path });
  const fatal = table.problems.find((p) => p.kind === "empty_file" || p.kind === "no_data_rows" || p.kind === "missing_time_column");
  if (fatal !== undefined) throw new Error(`input "${path}": ${fatal.message}`);
  const metaPath = path.slice(0, -".csv".length) + ".json";
  const meta = existsSync(metaPath) ? (JSON.parse(readFileSync(metaPath, "utf8")) as unknown) : undefined;
  const name = basename(path).replace(/(\.bdf)?\.csv$/i, "");
  if (meta !== undefined && typeof meta === "object" && meta !== null && "preset" in meta) {
    progress(`ground truth: cell description from ${metaPath}`);
    return analyseGroundTruth(name, table, rigFromGroundTruthMeta(meta, metaPath), values, progress);
  }
  progress(`analysing ${table.rows} rows`);
  const storing = storingOf(values) ?? "charge";
  const bdf = analyseBdf(table, { storing, activeMass_g: numberFlag(values, "active-mass-g") });
  const temperature = table.columns["surface_temperature_celsius"] ?? table.columns["temperature_t1_celsius"] ?? table.columns["ambient_temperature_celsius"];
  const series: CellSeries = {
    time_s: table.columns["test_time_second"],
    current_A: table.columns["current_ampere"],
    voltage_V: table.columns["voltage_volt"],
    temperature_K: temperature === undefined ? undefined : celsiusToKelvin(temperature),
  };
  return { name, series, config: bdf.config, analysis: bdf.analysis, problems: bdf.problems, excludedRows: bdf.excludedRows };
}

/** A simulator ground-truth file: every step's true signals, the photodiode currents standing in for amplifier volts. */
function analyseGroundTruth(name: string, table: BdfTable, rig: RigDescription, values: Values, progress: (line: string) => void): Analysed {
  const column = (key: string): Float64Array | undefined => table.columns[key];
  const time_s = column("test_time_second") as Float64Array;
  const current_A = requiredColumn(table, "current_ampere");
  const series: CellSeries = { time_s, current_A, voltage_V: requiredColumn(table, "voltage_volt"), stepIndex: column("step_index"), cycleCount: column("cycle_count") };
  const temperature = column("surface_temperature_celsius");
  if (temperature !== undefined) series.temperature_K = celsiusToKelvin(temperature);
  const pressure = column("cell_pressure_pa");
  if (pressure !== undefined) series.pressure_Pa = pressure;
  const psd = ["psd1_a_ampere", "psd1_b_ampere", "psd2_a_ampere", "psd2_b_ampere"].map(column);
  if (psd.every((c) => c !== undefined)) {
    const [a1, b1, a2, b2] = psd as Float64Array[];
    series.photodiodes = { beam1: { a_V: a1, b_V: b1 }, beam2: { a_V: a2, b_V: b2 } };
  }
  const overridden = applyFlags(rig, values);
  const config = configForRig(overridden, maxAbs(current_A), 10 * medianStep_s(time_s));
  progress(`analysing ${table.rows} rows`);
  return { name, series, config, analysis: analyseCell(series, config), problems: table.problems };
}

async function analyseStored(values: Values, progress: (line: string) => void): Promise<Analysed> {
  if (values.store === undefined || values.board === undefined) throw new UsageError("--store and --board go together: --store duckdb:<file> --board <id>");
  const store = storeFromSpec(values.store);
  await store.open();
  try {
    const cell = await readStoreCell(store, values.board, progress);
    const rig = applyFlags({ storing: storingOf(values) ?? "charge" }, values);
    const config = configForRig(rig, maxAbs(cell.series.current_A), cell.maxGap_s);
    progress(`analysing ${cell.series.time_s.length} points at ${cell.step_s} s`);
    return { name: values.board, series: cell.series, config, analysis: analyseCell(cell.series, config) };
  } finally {
    await store.close();
  }
}

/** Flags override what the rig description gives; gas and stress are switched on by their flags. */
function applyFlags(rig: RigDescription, values: Values): RigDescription {
  const out: RigDescription = { ...rig, storing: storingOf(values) ?? rig.storing };
  const mass = numberFlag(values, "active-mass-g");
  if (mass !== undefined) out.activeMass_g = mass;
  const headspace_mL = numberFlag(values, "headspace-ml");
  const onset = numberFlag(values, "onset-mol-per-s");
  if (headspace_mL !== undefined || onset !== undefined || rig.gas !== undefined) {
    const headspace_m3 = headspace_mL !== undefined ? headspace_mL * 1e-6 : rig.gas?.headspace_m3;
    if (headspace_m3 === undefined) throw new UsageError("--onset-mol-per-s needs --headspace-ml (the gas amount needs the headspace volume)");
    out.gas = { headspace_m3, onsetRate_mol_per_s: onset ?? rig.gas?.onsetRate_mol_per_s ?? 2e-11 };
  }
  const geometryFlags = ["substrate-modulus-gpa", "substrate-poisson", "substrate-thickness-um", "detector-distance-mm", "beam-spacing-mm", "refractive-index", "psd-length-mm"] as const;
  if (geometryFlags.some((flag) => values[flag] !== undefined) || rig.stress !== undefined) {
    const base = rig.stress;
    const pick = (flag: (typeof geometryFlags)[number], scale: number, fallback: number): number => {
      const given = numberFlag(values, flag);
      return given !== undefined ? given * scale : fallback;
    };
    out.stress = {
      ...STRESS_WINDOWS,
      temperatureCompensation: true,
      loopVoltageStep_V: 0.01,
      loopStateOfChargeStep: 0.01,
      optical: base?.optical ?? { minSum_V: 0.1 },
      substrate: {
        youngsModulus_Pa: pick("substrate-modulus-gpa", 1e9, base?.substrate.youngsModulus_Pa ?? 64e9),
        poissonRatio: pick("substrate-poisson", 1, base?.substrate.poissonRatio ?? 0.2),
        thickness_m: pick("substrate-thickness-um", 1e-6, base?.substrate.thickness_m ?? 155e-6),
      },
      geometry: {
        refractiveIndex: pick("refractive-index", 1, base?.geometry.refractiveIndex ?? 1.42),
        detectorDistance_m: pick("detector-distance-mm", 1e-3, base?.geometry.detectorDistance_m ?? 0.208),
        beamSpacing_m: pick("beam-spacing-mm", 1e-3, base?.geometry.beamSpacing_m ?? 0.005),
      },
      psdActiveLength_m: pick("psd-length-mm", 1e-3, base?.psdActiveLength_m ?? 6e-3),
    };
  }
  return out;
}

function storingOf(values: Values): Direction | undefined {
  if (values.storing === undefined) return undefined;
  if (values.storing !== "charge" && values.storing !== "discharge") {
    throw new UsageError(`--storing must be "charge" or "discharge", got "${values.storing}"`);
  }
  return values.storing;
}

function numberFlag(values: Values, flag: keyof typeof FLAGS): number | undefined {
  const text = values[flag];
  if (text === undefined || typeof text !== "string") return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${flag} must be a positive number, got "${text}"`);
  return value;
}

function requiredColumn(table: BdfTable, name: string): Float64Array {
  const column = table.columns[name];
  if (column === undefined) throw new Error(`the ground-truth file has no "${name}" column; it is needed for the analysis`);
  return column;
}

function maxAbs(values: Float64Array): number {
  return values.reduce((max, v) => (Number.isFinite(v) ? Math.max(max, Math.abs(v)) : max), 0);
}

function medianStep_s(time_s: Float64Array): number {
  const steps: number[] = [];
  for (let i = 1; i < time_s.length; i++) if (time_s[i] > time_s[i - 1]) steps.push(time_s[i] - time_s[i - 1]);
  steps.sort((a, b) => a - b);
  return steps[steps.length >> 1] ?? 1;
}

/** The per-cycle table for a terminal, then the quality findings. */
function formatTable(result: Analysed, table: CycleTable): string {
  const columns: [string, string, (v: number) => string][] = [
    ["cycle_count", "cycle", (v) => String(v)],
    ["charge_capacity_ampere_hour", "charge mAh", (v) => (v * 1000).toFixed(4)],
    ["cycler_charge_capacity_ampere_hour", "cycler chg mAh", (v) => (v * 1000).toFixed(4)],
    ["discharge_capacity_ampere_hour", "discharge mAh", (v) => (v * 1000).toFixed(4)],
    ["cycler_discharge_capacity_ampere_hour", "cycler dis mAh", (v) => (v * 1000).toFixed(4)],
    ["coulombic_efficiency", "CE %", (v) => (v * 100).toFixed(3)],
    ["energy_efficiency", "EE %", (v) => (v * 100).toFixed(2)],
    ["voltage_hysteresis_volt", "hyst. V", (v) => v.toFixed(4)],
    ["gas_amount_mol", "gas µmol", (v) => (v * 1e6).toFixed(4)],
    ["gas_onset_voltage_volt", "onset V", (v) => v.toFixed(4)],
    ["stress_thickness_amplitude_newton_per_metre", "σh swing N/m", (v) => v.toFixed(4)],
  ];
  const shown = columns.filter(([name]) => table.csvNames.includes(name));
  const cells = table.rows.map((row) => shown.map(([name, , format]) => {
    const value = row[table.csvNames.indexOf(name)];
    return Number.isFinite(value) ? format(value) : "–";
  }));
  const widths = shown.map(([, heading], k) => Math.max(heading.length, ...cells.map((r) => r[k].length)));
  const line = (parts: string[]) => parts.map((p, k) => p.padStart(widths[k])).join("  ");
  const lines = [`${result.name}: ${table.rows.length} cycles (found from ${result.analysis.segmentation.source})`, line(shown.map(([, h]) => h)), ...cells.map(line)];
  for (const excluded of result.excludedRows ?? []) lines.push(`excluded ${excluded.rows.length} rows (${excluded.kind}): rows ${excluded.rows.slice(0, 8).join(", ")}${excluded.rows.length > 8 ? " …" : ""}`);
  for (const problem of result.problems ?? []) lines.push(`${problem.severity}: ${problem.message}`);
  return lines.join("\n");
}
