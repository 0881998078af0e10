/**
 * What a rig's sensors would report for a simulated cell: the true state read through each
 * chip's resolution, with noise of the datasheet's order, offsets and slow drift. Values are
 * quantised to the chip's codes and converted back, as the host sees them after calibration.
 */
import { BUS_LSB_V, SHUNT_CODE_MAX, SHUNT_CODE_MIN, SHUNT_LSB_V } from "../../../boards/chips/ina226.ts";
import { OUTPUT_MAX_COUNTS, OUTPUT_MIN_COUNTS } from "../../../boards/chips/abp2.ts";
import { CODE_FULL_SCALE } from "../../../boards/chips/max31865.ts";
import { lsb_V } from "../../../boards/chips/ads1115.ts";
import { rtdResistance_ohm, rtdTemperature_degC } from "../../../protocol/decode/physical.ts";
import { gaussianAt } from "../../../sim/chips/noise.ts";
import type { CellSeries } from "../../../host/analysis/cell.ts";

export interface SensorModel {
  seed: number;
  /** Largest current of the run, A; the shunt is chosen so the INA226 reads twice this at full scale. */
  maxCurrent_A: number;
  /** Shunt offset, V (INA226: ±2.5 µV typical). */
  shuntOffset_V: number;
  /** Pressure transducer span from 0 Pa absolute, Pa. */
  pressureSpan_Pa: number;
  /** Pressure noise, Pa rms. */
  pressureNoise_Pa: number;
  /** Zero drift of the pressure transducer, Pa/s. */
  pressureDrift_Pa_per_s: number;
  /** Temperature noise before the RTD converter, K rms. */
  temperatureNoise_K: number;
  /** Transimpedance of the photodiode amplifiers, Ω. */
  transimpedance_ohm: number;
  /** Laser power drift, fraction per second (common to both electrodes of a detector). */
  laserDrift_per_s: number;
}

const PT100 = { r0_ohm: 100, A: 3.9083e-3, B: -5.775e-7, C: -4.183e-12 };
/** MAX31865 with a 400 Ω reference (PT100): the 15-bit code is R/R_ref × 2^15. */
const REFERENCE_OHM = 400;
/** ADS1115 at ±4.096 V: 125 µV per code; its noise at 128 SPS is about half a code. */
const PSD_FSR_V = 4.096;
const ADC_NOISE_V = 62.5e-6;

/** The measured channels of a run from its ground-truth columns, one sample per row. */
export function measureRun(columns: Record<string, Float64Array>, model: SensorModel): CellSeries {
  const time_s = columns["test_time_second"];
  const n = time_s.length;
  const noise = (channel: number, i: number): number => gaussianAt(model.seed + channel * 7919, i);

  const shunt_ohm = 0.08192 / (2 * model.maxCurrent_A);
  const current_A = new Float64Array(n);
  const voltage_V = new Float64Array(n);
  const trueCurrent = columns["current_ampere"];
  const trueVoltage = columns["voltage_volt"];
  for (let i = 0; i < n; i++) {
    const shunt_V = trueCurrent[i] * shunt_ohm + model.shuntOffset_V + SHUNT_LSB_V * noise(1, i);
    const code = Math.max(SHUNT_CODE_MIN, Math.min(SHUNT_CODE_MAX, Math.round(shunt_V / SHUNT_LSB_V)));
    current_A[i] = (code * SHUNT_LSB_V) / shunt_ohm;
    voltage_V[i] = Math.round((trueVoltage[i] + 0.5 * BUS_LSB_V * noise(2, i)) / BUS_LSB_V) * BUS_LSB_V;
  }

  const temperature_K = new Float64Array(n);
  const trueTemperature = columns["surface_temperature_celsius"];
  for (let i = 0; i < n; i++) {
    const r_ohm = rtdResistance_ohm(trueTemperature[i] + model.temperatureNoise_K * noise(3, i), PT100);
    const code = Math.round((r_ohm / REFERENCE_OHM) * CODE_FULL_SCALE);
    temperature_K[i] = rtdTemperature_degC((code / CODE_FULL_SCALE) * REFERENCE_OHM, PT100) + 273.15;
  }
  const series: CellSeries = { time_s, current_A, voltage_V, temperature_K };

  const truePressure = columns["cell_pressure_pa"];
  if (truePressure !== undefined) {
    const pascalPerCount = model.pressureSpan_Pa / (OUTPUT_MAX_COUNTS - OUTPUT_MIN_COUNTS);
    const pressure_Pa = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const read = truePressure[i] + model.pressureDrift_Pa_per_s * time_s[i] + model.pressureNoise_Pa * noise(4, i);
      pressure_Pa[i] = Math.round(read / pascalPerCount) * pascalPerCount;
    }
    series.pressure_Pa = pressure_Pa;
  }

  if (columns["psd1_a_ampere"] !== undefined) {
    const lsb = lsb_V(PSD_FSR_V);
    const electrode = (name: string, channel: number): Float64Array => {
      const current = columns[name];
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const power = 1 - model.laserDrift_per_s * time_s[i];
        const signal_V = current[i] * power * model.transimpedance_ohm + ADC_NOISE_V * noise(channel, i);
        out[i] = Math.round(signal_V / lsb) * lsb;
      }
      return out;
    };
    series.photodiodes = {
      beam1: { a_V: electrode("psd1_a_ampere", 5), b_V: electrode("psd1_b_ampere", 6) },
      beam2: { a_V: electrode("psd2_a_ampere", 7), b_V: electrode("psd2_b_ampere", 8) },
    };
  }
  return series;
}
