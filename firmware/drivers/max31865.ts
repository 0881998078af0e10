import {
  AUTO_CONVERSION_S,
  CODE_FULL_SCALE,
  CODE_MAX,
  CONFIG_AUTO,
  CONFIG_FAULT_CLEAR,
  CONFIG_FILTER_50HZ,
  CONFIG_THREE_WIRE,
  CONFIG_VBIAS,
  FAULT_RTD_LOW,
  FAULT_OVER_UNDER_VOLTAGE,
  REG_CONFIG,
  REG_FAULT_STATUS,
  REG_HIGH_FAULT_MSB,
  REG_RTD_MSB,
  RTD_FAULT_BIT,
  WRITE,
} from "../../boards/chips/max31865.ts";
import { QUALITY_OPEN_CIRCUIT, QUALITY_SATURATED } from "../../protocol/wire/data-frame.ts";
import { hex, reasonOf } from "./messages.ts";
import type { SampleSource } from "./source.ts";

export interface Max31865Options {
  channel: string;
  busName: string;
  bus: SPI;
  cs: Pin;
  csName: string;
  wires: number;
  mains_hz: number;
  r0_ohm: number;
  ref_ohm: number;
  period_s: number;
}

/** Resistance window outside which the chip flags a fault: below −200 °C (0.15·R0) means a short, above 850 °C (3.9·R0) an open RTD. */
const LOW_FAULT_PER_R0 = 0.15;
const HIGH_FAULT_PER_R0 = 4;

/**
 * A platinum RTD on a MAX31865 in automatic conversion mode (bias on, 50 or 60 Hz filter): a read
 * returns the latest ratio code, at most one conversion (16.7 or 20 ms) old. The fault bit in the
 * RTD register makes the read fetch and clear the fault status, and flags the sample: open RTD or
 * broken force lead as open-circuit, short or over/under-voltage as saturated.
 */
export class Max31865 implements SampleSource {
  private readonly opts: Max31865Options;
  private readonly config: number;
  private readonly readRtd = new Uint8Array([REG_RTD_MSB, 0, 0]);
  private readonly readFaults = new Uint8Array([REG_FAULT_STATUS, 0]);
  private readonly clearFaults: Uint8Array;
  private code = 0;
  private flags = 0;

  constructor(opts: Max31865Options) {
    this.opts = opts;
    this.config = CONFIG_VBIAS | CONFIG_AUTO | (opts.wires === 3 ? CONFIG_THREE_WIRE : 0) | (opts.mains_hz === 50 ? CONFIG_FILTER_50HZ : 0);
    this.clearFaults = new Uint8Array([REG_CONFIG | WRITE, this.config | CONFIG_FAULT_CLEAR]);
  }

  private where(): string {
    return 'channel "' + this.opts.channel + '": MAX31865 on ' + this.opts.busName + " with chip select " + this.opts.csName;
  }

  start(): void {
    const o = this.opts;
    const conversion_s = AUTO_CONVERSION_S[o.mains_hz];
    if (conversion_s === undefined) throw new Error(this.where() + ": mains filter " + o.mains_hz + " Hz is not 50 or 60");
    if (conversion_s > o.period_s) {
      throw new Error(this.where() + ": a conversion takes " + conversion_s * 1000 + " ms with the " + o.mains_hz + " Hz filter, longer than the sample period of " + o.period_s * 1000 + " ms (lower the rate)");
    }
    const low = Math.floor(((LOW_FAULT_PER_R0 * o.r0_ohm) / o.ref_ohm) * CODE_FULL_SCALE);
    // Below the code an open RTD reads (full scale), so an open sensor always trips the high threshold.
    const high = Math.min(CODE_MAX - 1, Math.ceil(((HIGH_FAULT_PER_R0 * o.r0_ohm) / o.ref_ohm) * CODE_FULL_SCALE));
    o.bus.send([REG_HIGH_FAULT_MSB | WRITE, (high >> 7) & 0xff, (high << 1) & 0xff, (low >> 7) & 0xff, (low << 1) & 0xff], o.cs);
    o.bus.send(this.clearFaults, o.cs);
    let back: Uint8Array;
    try {
      back = o.bus.send([REG_CONFIG, 0], o.cs);
    } catch (err) {
      throw new Error(this.where() + " did not answer (" + reasonOf(err) + "); check wiring and the chip select pin");
    }
    // The fault-clear bit clears itself, so the config reads back without it.
    if (back[1] !== this.config) {
      throw new Error(this.where() + " did not answer: config register read back " + hex(back[1]) + ", wrote " + hex(this.config) + " (check wiring, the chip select pin and SPI mode 1 or 3)");
    }
  }

  read(): number {
    const o = this.opts;
    const b = o.bus.send(this.readRtd, o.cs);
    const word = (b[1] << 8) | b[2];
    this.code = word >> 1;
    this.flags = 0;
    if (word & RTD_FAULT_BIT) {
      const status = o.bus.send(this.readFaults, o.cs)[1];
      o.bus.send(this.clearFaults, o.cs);
      this.flags = status & (FAULT_RTD_LOW | FAULT_OVER_UNDER_VOLTAGE) ? QUALITY_SATURATED : QUALITY_OPEN_CIRCUIT;
    }
    return this.code;
  }

  quality(): number {
    return this.flags;
  }
}
