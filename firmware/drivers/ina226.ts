import {
  AVERAGES,
  BUS_CODE_MAX,
  CALIBRATION_MAX,
  CONFIG_AVG_SHIFT,
  CONFIG_MODE_SHUNT_BUS_CONTINUOUS,
  CONFIG_RST,
  CONFIG_VBUSCT_SHIFT,
  CONFIG_VSHCT_SHIFT,
  CONVERSION_TIME_US,
  DIE_ID,
  MANUFACTURER_ID,
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
  calibrationRegister,
} from "../../boards/chips/ina226.ts";
import { QUALITY_OPEN_CIRCUIT, QUALITY_SATURATED } from "../../protocol/wire/data-frame.ts";
import { hex, reasonOf } from "./messages.ts";
import type { SampleSource } from "./source.ts";

export interface Ina226Options {
  busName: string;
  bus: I2C;
  address: number;
  shunt_ohm: number;
  currentLsb_A: number;
  averages: number;
  conversion_us: number;
  /** Shunt over-voltage alert at this current, A; none when undefined. */
  alertOver_A: number | undefined;
  /** Fastest sample period of the chip's channels, s. */
  period_s: number;
}

export type Ina226Measure = "current" | "shunt_voltage" | "bus_voltage" | "power";

/**
 * One INA226 in continuous shunt-and-bus mode: its current, voltage and power registers always hold
 * the latest averaged result, so channels read them without waiting. Shared by the chip's channels;
 * the first start() checks its identity and programs it, later ones find it ready.
 */
export class Ina226Chip {
  readonly opts: Ina226Options;
  readonly channels: string[] = [];
  private started = false;

  constructor(opts: Ina226Options) {
    this.opts = opts;
  }

  where(): string {
    return 'channel "' + this.channels.join('", "') + '": INA226 at ' + hex(this.opts.address) + " on " + this.opts.busName;
  }

  private readWord(register: number): number {
    this.opts.bus.writeTo(this.opts.address, [register]);
    const b = this.opts.bus.readFrom(this.opts.address, 2);
    return (b[0] << 8) | b[1];
  }

  private writeWord(register: number, value: number): void {
    this.opts.bus.writeTo(this.opts.address, [register, (value >> 8) & 0xff, value & 0xff]);
  }

  start(): void {
    if (this.started) return;
    const o = this.opts;
    const avg = AVERAGES.indexOf(o.averages);
    const ct = CONVERSION_TIME_US.indexOf(o.conversion_us);
    if (avg < 0 || ct < 0) throw new Error(this.where() + ": " + o.averages + " averages of " + o.conversion_us + " µs is not an INA226 setting (see its configuration register)");
    const update_s = (2 * o.conversion_us * o.averages) / 1e6;
    if (update_s > o.period_s) {
      throw new Error(this.where() + ": a result takes " + update_s * 1000 + " ms (2 × " + o.conversion_us + " µs × " + o.averages + " averages), longer than the sample period of " + o.period_s * 1000 + " ms (fewer averages or a lower rate)");
    }
    const cal = calibrationRegister(o.currentLsb_A, o.shunt_ohm);
    if (cal < 1 || cal > CALIBRATION_MAX) throw new Error(this.where() + ": calibration " + cal + " from current_lsb_A and shunt_ohm does not fit 15 bits (choose current_lsb_A near the largest current / 32768)");
    let manufacturer: number;
    let die: number;
    try {
      manufacturer = this.readWord(REG_MANUFACTURER_ID);
      die = this.readWord(REG_DIE_ID);
    } catch (err) {
      throw new Error(this.where() + " did not answer (" + reasonOf(err) + "); check wiring, power and the A0/A1 address pins");
    }
    if (manufacturer !== MANUFACTURER_ID || die !== DIE_ID) {
      throw new Error(this.where() + ": identity registers read " + hex(manufacturer) + "/" + hex(die) + ", expected " + hex(MANUFACTURER_ID) + "/" + hex(DIE_ID) + " (another chip at this address? check the address pins)");
    }
    this.writeWord(REG_CONFIG, CONFIG_RST);
    this.writeWord(REG_CALIBRATION, cal);
    this.writeWord(REG_CONFIG, (avg << CONFIG_AVG_SHIFT) | (ct << CONFIG_VBUSCT_SHIFT) | (ct << CONFIG_VSHCT_SHIFT) | CONFIG_MODE_SHUNT_BUS_CONTINUOUS);
    if (o.alertOver_A !== undefined) {
      this.writeWord(REG_ALERT_LIMIT, Math.min(SHUNT_CODE_MAX, Math.round((o.alertOver_A * o.shunt_ohm) / SHUNT_LSB_V)));
      this.writeWord(REG_MASK_ENABLE, MASK_SOL);
    }
    this.started = true;
  }
}

const REGISTERS = { current: REG_CURRENT, shunt_voltage: REG_SHUNT_VOLTAGE, bus_voltage: REG_BUS_VOLTAGE, power: REG_POWER } as { [measure: string]: number };

/** One result register of an INA226 as a channel: current and shunt voltage signed, bus voltage and power unsigned. */
export class Ina226Register implements SampleSource {
  private readonly chip: Ina226Chip;
  private readonly pointer: Uint8Array;
  private readonly signed: boolean;
  private readonly fullScale: number;
  private code = 0;
  private flags = 0;

  constructor(chip: Ina226Chip, channel: string, measure: Ina226Measure) {
    this.chip = chip;
    chip.channels.push(channel);
    this.pointer = new Uint8Array([REGISTERS[measure]]);
    this.signed = measure === "current" || measure === "shunt_voltage";
    this.fullScale = measure === "bus_voltage" ? BUS_CODE_MAX : measure === "power" ? 0xffff : SHUNT_CODE_MAX;
  }

  start(): void {
    this.chip.start();
  }

  read(): number {
    const o = this.chip.opts;
    try {
      o.bus.writeTo(o.address, this.pointer);
      const b = o.bus.readFrom(o.address, 2);
      const word = (b[0] << 8) | b[1];
      this.code = this.signed && word & 0x8000 ? word - 0x10000 : word;
      this.flags = this.code >= this.fullScale || this.code <= SHUNT_CODE_MIN ? QUALITY_SATURATED : 0;
    } catch (err) {
      this.flags = QUALITY_OPEN_CIRCUIT;
    }
    return this.code;
  }

  quality(): number {
    return this.flags;
  }
}
