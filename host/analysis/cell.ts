import { checkCyclerCapacity, type CyclerCapacityCheck } from "./cycler-check.ts";
import { cycleCapacities, halfCycleCapacity, type CycleCapacity } from "./capacity.ts";
import { dqdvHistogram, dqdvInterpolated, type DqDv } from "./dqdv.ts";
import { cycleGas, gasAmountSeries_mol, gasRate_mol_per_s, type CycleGas } from "./gas.ts";
import { hysteresisLoop, type HysteresisLoop } from "./loop.ts";
import { curvatureSeries_per_m, psdSpots, type BeamGeometry, type OpticalLimits } from "./optics.ts";
import { buildExclusion } from "./quality.ts";
import { meanOver, windowedSlope } from "./slope.ts";
import { cycleStateOfCharge } from "./soc.ts";
import { segmentRun, type Direction, type Segmentation } from "./steps.ts";
import {
  compensateTemperature,
  cycleStress,
  fitThermalCoefficient,
  restBaseline,
  stoneyFactor_N,
  stressThicknessSeries_N_per_m,
  type Baseline,
  type CycleStress,
  type Substrate,
  type ThermalCoefficient,
} from "./stress.ts";

/** One cell's channels on one time base (see align.ts), index-aligned. */
export interface CellSeries {
  time_s: Float64Array;
  current_A: Float64Array;
  voltage_V: Float64Array;
  temperature_K?: Float64Array;
  pressure_Pa?: Float64Array;
  /** Electrode signals of the two lateral PSDs, one per beam. */
  photodiodes?: { beam1: { a_V: Float64Array; b_V: Float64Array }; beam2: { a_V: Float64Array; b_V: Float64Array } };
  stepIndex?: ArrayLike<number>;
  cycleCount?: ArrayLike<number>;
  /** Cycler columns by BDF name (capacity counters), for the integrated-versus-cycler check. */
  cyclerColumns?: Record<string, Float64Array>;
  /** Samples flagged by the board, bridge or importer, per reason; nonzero excludes. */
  flags?: Record<string, ArrayLike<number | boolean>>;
}

export interface CellConfig {
  storing: Direction;
  restThreshold_A: number;
  minStepDuration_s: number;
  maxGap_s: number;
  activeMass_g?: number;
  electrodeArea_cm2?: number;
  dqdv?: { method: "interpolate_invert" | "histogram" | "both" | "none"; smoothingFwhm_V?: number; voltageStep_V?: number };
  gas?: { headspace_m3: number; rateWindow_s: number; endpointWindow_s: number; onsetRate_mol_per_s: number; onsetDuration_s: number };
  stress?: {
    substrate: Substrate;
    geometry: BeamGeometry;
    psdActiveLength_m: number;
    optical: OpticalLimits;
    filmThickness_m?: number;
    endpointWindow_s: number;
    rateWindow_s: number;
    /** Fit a thermal coefficient over rest periods and remove it (needs temperature). */
    temperatureCompensation: boolean;
    loopVoltageStep_V: number;
    loopStateOfChargeStep: number;
  };
}

export interface GasAnalysis {
  amount_mol: Float64Array;
  rate_mol_per_s: Float64Array;
  cycles: CycleGas[];
  /** n at the end − n at the start of the run (means over the endpoint window), mol. */
  total_mol: number;
}

export interface StressAnalysis {
  stressThickness_N_per_m: Float64Array;
  stress_Pa?: Float64Array;
  rate_N_per_m_per_s: Float64Array;
  stoneyFactor_N: number;
  baseline: Baseline;
  thermal?: ThermalCoefficient;
  cycles: CycleStress[];
  loopsVersusPotential: HysteresisLoop[];
  loopsVersusStateOfCharge: HysteresisLoop[];
  /** Samples whose spot position was invalid, per reason (missing: a photodiode signal absent). */
  opticalExcluded: { lowSum: number; saturated: number; missing: number };
}

export interface CellAnalysis {
  quality: { samples: number; excluded: Record<string, number>; excludedTotal: number };
  segmentation: Segmentation;
  cycles: CycleCapacity[];
  cyclerCheck: CyclerCapacityCheck[];
  dqdv: DqDv[];
  gas?: GasAnalysis;
  stress?: StressAnalysis;
}

/** The whole analysis of one cell: quality, steps and cycles, capacities, dQ/dV, gas and stress. */
export function analyseCell(series: CellSeries, config: CellConfig): CellAnalysis {
  const { time_s, current_A, voltage_V } = series;
  const exclusion = buildExclusion({ length: time_s.length, flags: series.flags, finite: { time_s, current_A, voltage_V } });
  const exclude = exclusion.mask;
  const segmentation = segmentRun(time_s, current_A, {
    restThreshold_A: config.restThreshold_A,
    minDuration_s: config.minStepDuration_s,
    storing: config.storing,
    exclude,
    stepIndex: series.stepIndex,
    cycleCount: series.cycleCount,
  });
  const capacityOptions = { maxGap_s: config.maxGap_s, exclude, activeMass_g: config.activeMass_g, electrodeArea_cm2: config.electrodeArea_cm2 };
  const cycles = cycleCapacities(time_s, current_A, voltage_V, segmentation.cycles, capacityOptions);
  const cyclerCheck =
    series.cyclerColumns === undefined
      ? []
      : checkCyclerCapacity(
          series.cyclerColumns,
          segmentation.halfCycles,
          segmentation.halfCycles.map((half) => halfCycleCapacity(time_s, current_A, voltage_V, half, capacityOptions)),
          exclude,
        );

  const dqdv: DqDv[] = [];
  const method = config.dqdv?.method ?? "interpolate_invert";
  const dqdvOptions = { maxGap_s: config.maxGap_s, exclude, smoothingFwhm_V: config.dqdv?.smoothingFwhm_V, voltageStep_V: config.dqdv?.voltageStep_V };
  for (const half of segmentation.halfCycles) {
    if (method === "interpolate_invert" || method === "both") dqdv.push(dqdvInterpolated(time_s, current_A, voltage_V, half, dqdvOptions));
    if (method === "histogram" || method === "both") dqdv.push(dqdvHistogram(time_s, current_A, voltage_V, half, dqdvOptions));
  }

  const analysis: CellAnalysis = {
    quality: { samples: time_s.length, excluded: exclusion.excluded, excludedTotal: exclusion.excludedTotal },
    segmentation,
    cycles,
    cyclerCheck,
    dqdv,
  };
  if (config.gas !== undefined && series.pressure_Pa !== undefined && series.temperature_K !== undefined) {
    analysis.gas = analyseGas(series, config, config.gas, segmentation, exclude);
  }
  if (config.stress !== undefined && series.photodiodes !== undefined) {
    analysis.stress = analyseStress(series, config, config.stress, segmentation, exclude);
  }
  return analysis;
}

function analyseGas(
  series: CellSeries,
  config: CellConfig,
  gas: NonNullable<CellConfig["gas"]>,
  segmentation: Segmentation,
  baseExclude: Uint8Array,
): GasAnalysis {
  const { time_s } = series;
  const pressure_Pa = series.pressure_Pa as Float64Array;
  const temperature_K = series.temperature_K as Float64Array;
  const exclude = withNonFinite(baseExclude, [pressure_Pa, temperature_K]);
  const amount_mol = gasAmountSeries_mol(pressure_Pa, temperature_K, gas.headspace_m3, exclude);
  const rate_mol_per_s = gasRate_mol_per_s(time_s, amount_mol, gas.rateWindow_s, exclude);
  const cycles = cycleGas(time_s, amount_mol, rate_mol_per_s, series.current_A, series.voltage_V, segmentation.cycles, {
    endpointWindow_s: gas.endpointWindow_s,
    onsetRate_mol_per_s: gas.onsetRate_mol_per_s,
    onsetDuration_s: gas.onsetDuration_s,
    rateWindow_s: gas.rateWindow_s,
    storing: config.storing,
    maxGap_s: config.maxGap_s,
    exclude,
  });
  const t0 = time_s[0];
  const t1 = time_s[time_s.length - 1];
  const n0 = meanOver(time_s, amount_mol, t0, t0 + gas.endpointWindow_s, exclude);
  const n1 = meanOver(time_s, amount_mol, t1 - gas.endpointWindow_s, t1, exclude);
  return { amount_mol, rate_mol_per_s, cycles, total_mol: n1 - n0 };
}

function analyseStress(
  series: CellSeries,
  config: CellConfig,
  stress: NonNullable<CellConfig["stress"]>,
  segmentation: Segmentation,
  baseExclude: Uint8Array,
): StressAnalysis {
  const { time_s, temperature_K } = series;
  const diodes = series.photodiodes as NonNullable<CellSeries["photodiodes"]>;
  const spot1 = psdSpots(diodes.beam1.a_V, diodes.beam1.b_V, stress.psdActiveLength_m, stress.optical);
  const spot2 = psdSpots(diodes.beam2.a_V, diodes.beam2.b_V, stress.psdActiveLength_m, stress.optical);
  const n = time_s.length;
  const lowSum = new Uint8Array(n);
  const saturated = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    lowSum[i] = spot1.lowSum[i] | spot2.lowSum[i];
    saturated[i] = spot1.saturated[i] | spot2.saturated[i];
  }
  const mask = baseExclude.slice();
  let lowSumCount = 0;
  let saturatedCount = 0;
  let missingCount = 0;
  for (let i = 0; i < n; i++) {
    if (mask[i] !== 0) continue;
    if (lowSum[i] !== 0) lowSumCount++;
    else if (saturated[i] !== 0) saturatedCount++;
    else if (Number.isNaN(spot1.position_m[i]) || Number.isNaN(spot2.position_m[i])) missingCount++;
    else continue;
    mask[i] = 254;
  }
  const exclude = temperature_K === undefined ? mask : withNonFinite(mask, [temperature_K]);

  const factor_N = stoneyFactor_N(stress.substrate);
  const rawCurvature = curvatureSeries_per_m(spot1.position_m, spot2.position_m, 0, stress.geometry);
  let sigmaH: Float64Array = stressThicknessSeries_N_per_m(rawCurvature, stress.substrate);

  let thermal: ThermalCoefficient | undefined;
  if (stress.temperatureCompensation && temperature_K !== undefined) {
    thermal = fitThermalCoefficient(sigmaH, temperature_K, segmentation.steps, exclude);
    if (Number.isFinite(thermal.coefficient_per_K)) {
      const reference_K = restBaseline(temperature_K, segmentation.steps, exclude).value;
      sigmaH = compensateTemperature(sigmaH, temperature_K, thermal.coefficient_per_K, reference_K);
    }
  }
  const baseline = restBaseline(sigmaH, segmentation.steps, exclude);
  for (let i = 0; i < n; i++) sigmaH[i] -= baseline.value;

  const loopsVersusPotential = segmentation.cycles.map((cycle) =>
    hysteresisLoop(series.voltage_V, sigmaH, cycle, { step: stress.loopVoltageStep_V, exclude }),
  );
  const loopsVersusStateOfCharge = segmentation.cycles.map((cycle) => {
    const soc = cycleStateOfCharge(time_s, series.current_A, cycle, { storing: config.storing, maxGap_s: config.maxGap_s, exclude });
    return hysteresisLoop(soc.values, sigmaH, cycle, { step: stress.loopStateOfChargeStep, exclude, abscissaStart: soc.start });
  });
  const result: StressAnalysis = {
    stressThickness_N_per_m: sigmaH,
    rate_N_per_m_per_s: windowedSlope(time_s, sigmaH, stress.rateWindow_s, { exclude }),
    stoneyFactor_N: factor_N,
    baseline,
    cycles: cycleStress(time_s, sigmaH, segmentation.cycles, { endpointWindow_s: stress.endpointWindow_s, exclude }),
    loopsVersusPotential,
    loopsVersusStateOfCharge,
    opticalExcluded: { lowSum: lowSumCount, saturated: saturatedCount, missing: missingCount },
  };
  if (thermal !== undefined) result.thermal = thermal;
  if (stress.filmThickness_m !== undefined) {
    const film_m = stress.filmThickness_m;
    result.stress_Pa = sigmaH.map((value) => value / film_m);
  }
  return result;
}

function withNonFinite(exclude: Uint8Array, arrays: Float64Array[]): Uint8Array {
  const out = exclude.slice();
  for (const values of arrays) for (let i = 0; i < out.length; i++) if (out[i] === 0 && !Number.isFinite(values[i])) out[i] = 255;
  return out;
}
