import {
  AVERAGES,
  BUS_CODE_MAX,
  BUS_LSB_V,
  CONFIG_AVG_SHIFT,
  CONFIG_FIXED,
  CONFIG_MODE_MASK,
  CONFIG_RESET,
  CONFIG_RST,
  CONFIG_VBUSCT_SHIFT,
  CONFIG_VSHCT_SHIFT,
  CONVERSION_TIME_US,
  DIE_ID,
  MANUFACTURER_ID,
  MASK_AFF,
  MASK_CVRF,
  MASK_OVF,
  MASK_SOL,
  REG_ALERT_LIMIT,
  REG_BUS_VOLTAGE,
  REG_CALIBRATION,
  REG_CONFIG,
  REG_CURRENT,
  REG_DIE_ID,
  REG_MANUFACTURER_ID,
  REG_MASK_ENABLE,
  REG_POWER,
  REG_SHUNT_VOLTAGE,
  SHUNT_CODE_MAX,
  SHUNT_CODE_MIN,
  SHUNT_LSB_V,
  currentRegister,
  powerRegister,
} from "../../boards/chips/ina226.ts";
import { nack, type SensorFault } from "./faults.ts";
import { gaussianAt, timeKey } from "./noise.ts";

export interface Ina226TwinOptions {
  /** The shunt on the board, Ω. */
  shunt_ohm: number;
  /** RMS noise of one shunt sample, V; averaging divides it by √N. */
  shuntNoise_V?: number;
  seed?: number;
}

/** Physical quantity as a function of virtual time. */
export type Signal = (time_s: number) => number;

interface Results {
  shunt: number;
  bus: number;
  current: number;
  power: number;
  overflow: boolean;
}

/**
 * Register-level twin of the INA226. Physics sets the current through the shunt and the bus voltage;
 * in continuous shunt-and-bus mode a result completes every (bus + shunt conversion time) × averages
 * after the configuration was written, and the registers hold the last completed one: shunt voltage
 * quantised to 2.5 µV and saturated at ±81.92 mV, bus voltage to 1.25 mV, current and power computed
 * from the calibration register as the chip does (truncated, saturating with the math-overflow flag). The ALERT pin follows the shunt
 * over-voltage limit when enabled.
 *
 * Faults: `open` stops acknowledging; `short` shorts the shunt (0 V across it); `stuck` freezes the
 * results; `saturated` drives the shunt input beyond full scale.
 */
export class Ina226Twin {
  readonly address: number;
  private readonly opts: Ina226TwinOptions;
  private pointer = REG_CONFIG;
  private config = CONFIG_RESET;
  private calibration = 0;
  private maskEnable = 0;
  private alertLimit = 0;
  private configured_s = 0;
  private lastRead = -1;
  private fault: SensorFault = "none";
  private stuck: Results | undefined;
  private current_A: Signal = () => 0.5;
  private busVoltage_V: Signal = () => 3.7;
  /** The result of conversion `cachedIndex`: a read of several registers computes it once. */
  private cached: Results | undefined;
  private cachedIndex = -1;

  constructor(address: number, opts: Ina226TwinOptions) {
    this.address = address;
    this.opts = opts;
  }

  setCurrent(signal: Signal): void {
    this.current_A = signal;
    this.cached = undefined;
  }

  setBusVoltage(signal: Signal): void {
    this.busVoltage_V = signal;
    this.cached = undefined;
  }

  setFault(fault: SensorFault, time_s = 0): void {
    if (fault === "stuck" && this.fault !== "stuck") this.stuck = this.results(time_s);
    this.fault = fault;
    this.cached = undefined;
  }

  /** Time one averaged result takes with the current configuration, s. */
  updatePeriod_s(): number {
    const avg = AVERAGES[(this.config >> CONFIG_AVG_SHIFT) & 7]!;
    const bus = CONVERSION_TIME_US[(this.config >> CONFIG_VBUSCT_SHIFT) & 7]!;
    const shunt = CONVERSION_TIME_US[(this.config >> CONFIG_VSHCT_SHIFT) & 7]!;
    return ((bus + shunt) * avg) / 1e6;
  }

  /** Index of the last completed result at time_s; 0 before the first one. */
  private completed(time_s: number): number {
    if ((this.config & CONFIG_MODE_MASK) === 0) return 0;
    return Math.floor((time_s - this.configured_s) / this.updatePeriod_s() + 1e-9);
  }

  /** Register values of the result that is current at time_s. */
  results(time_s: number): Results {
    if (this.fault === "stuck" && this.stuck) return this.stuck;
    const k = this.completed(time_s);
    if (k < 1) return { shunt: 0, bus: 0, current: 0, power: 0, overflow: false };
    if (k === this.cachedIndex && this.cached !== undefined) return this.cached;
    const t = this.configured_s + k * this.updatePeriod_s();
    const avg = AVERAGES[(this.config >> CONFIG_AVG_SHIFT) & 7]!;
    let shunt_V = this.fault === "short" ? 0 : this.current_A(t) * this.opts.shunt_ohm;
    if (this.fault === "saturated") shunt_V = 1;
    const noise = this.opts.shuntNoise_V ?? 0;
    if (noise > 0) shunt_V += (noise / Math.sqrt(avg)) * gaussianAt(this.opts.seed ?? this.address, timeKey(t));
    const shunt = Math.min(SHUNT_CODE_MAX, Math.max(SHUNT_CODE_MIN, Math.round(shunt_V / SHUNT_LSB_V)));
    const bus = Math.min(BUS_CODE_MAX, Math.max(0, Math.round(this.busVoltage_V(t) / BUS_LSB_V)));
    // A result beyond its register saturates it and raises the math-overflow flag.
    const exact = currentRegister(shunt, this.calibration);
    const current = Math.min(SHUNT_CODE_MAX, Math.max(SHUNT_CODE_MIN, exact));
    const power = Math.min(0xffff, powerRegister(current, bus));
    this.cached = { shunt, bus, current, power, overflow: exact !== current || power === 0xffff };
    this.cachedIndex = k;
    return this.cached;
  }

  /** Whether the ALERT pin is asserted (its level is active low unless APOL is set). */
  alertAsserted(time_s: number): boolean {
    return (this.maskEnable & MASK_SOL) !== 0 && this.results(time_s).shunt > this.alertLimit;
  }

  write(bytes: Uint8Array, time_s: number): void {
    if (this.fault === "open") throw nack("write");
    if (bytes.length === 0) return;
    this.pointer = bytes[0]!;
    if (bytes.length < 3) return;
    const value = (bytes[1]! << 8) | bytes[2]!;
    this.cached = undefined;
    if (this.pointer === REG_CONFIG) {
      if (value & CONFIG_RST) {
        this.config = CONFIG_RESET;
        this.calibration = 0;
        this.maskEnable = 0;
        this.alertLimit = 0;
      } else {
        this.config = value | CONFIG_FIXED;
      }
      this.configured_s = time_s;
    } else if (this.pointer === REG_CALIBRATION) {
      this.calibration = value & 0x7fff;
    } else if (this.pointer === REG_MASK_ENABLE) {
      this.maskEnable = value & 0xfc03;
    } else if (this.pointer === REG_ALERT_LIMIT) {
      this.alertLimit = value;
    }
  }

  read(count: number, time_s: number): Uint8Array {
    if (this.fault === "open") throw nack("read");
    const r = this.results(time_s);
    let value: number;
    switch (this.pointer) {
      case REG_CONFIG: value = this.config; break;
      case REG_SHUNT_VOLTAGE: value = r.shunt & 0xffff; break;
      case REG_BUS_VOLTAGE: value = r.bus; break;
      case REG_POWER: value = r.power & 0xffff; break;
      case REG_CURRENT: value = r.current & 0xffff; break;
      case REG_CALIBRATION: value = this.calibration; break;
      case REG_MASK_ENABLE: {
        // CVRF: a result completed since the last read of this register; AFF: the alert condition holds.
        const k = this.completed(time_s);
        value = this.maskEnable | (k > this.lastRead ? MASK_CVRF : 0) | (this.alertAsserted(time_s) ? MASK_AFF : 0) | (r.overflow ? MASK_OVF : 0);
        this.lastRead = k;
        break;
      }
      case REG_ALERT_LIMIT: value = this.alertLimit; break;
      case REG_MANUFACTURER_ID: value = MANUFACTURER_ID; break;
      case REG_DIE_ID: value = DIE_ID; break;
      default: value = 0;
    }
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = i % 2 === 0 ? (value >> 8) & 0xff : value & 0xff;
    return out;
  }
}

