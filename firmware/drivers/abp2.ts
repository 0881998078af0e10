import { COMMAND_MEASURE, CONVERSION_S, READ_PRESSURE_BYTES, STATUS_BUSY, STATUS_MATH_SATURATION, STATUS_MEMORY_ERROR, STATUS_POWERED } from "../../boards/chips/abp2.ts";
import { QUALITY_LATE, QUALITY_OPEN_CIRCUIT, QUALITY_SATURATED } from "../../protocol/wire/data-frame.ts";
import { hex, reasonOf } from "./messages.ts";
import type { SampleSource } from "./source.ts";

export interface Abp2Options {
  channel: string;
  busName: string;
  bus: I2C;
  address: number;
  period_s: number;
}

/**
 * A Honeywell ABP2-style digital pressure sensor, pipelined: each read takes the status and 24-bit
 * pressure counts of the conversion the previous read started, then starts the next one. Codes are
 * therefore one sample period late; start() checks that a period is longer than a conversion.
 * Still busy: the previous counts, flagged late. Math saturation: saturated. Memory error (the
 * chip's calibration is corrupt): open-circuit, since the reading is not a measurement.
 */
export class Abp2 implements SampleSource {
  private readonly opts: Abp2Options;
  private readonly command = new Uint8Array(COMMAND_MEASURE);
  private code = 0;
  private flags = 0;

  constructor(opts: Abp2Options) {
    this.opts = opts;
  }

  private where(): string {
    return 'channel "' + this.opts.channel + '": ABP2 pressure sensor at ' + hex(this.opts.address) + " on " + this.opts.busName;
  }

  start(): void {
    const o = this.opts;
    if (CONVERSION_S > o.period_s) {
      throw new Error(this.where() + ": a conversion takes " + CONVERSION_S * 1000 + " ms, longer than the sample period of " + o.period_s * 1000 + " ms (lower the rate to at most " + Math.floor(1 / CONVERSION_S) + " Hz)");
    }
    let status: number;
    try {
      status = o.bus.readFrom(o.address, 1)[0];
    } catch (err) {
      throw new Error(this.where() + " did not answer (" + reasonOf(err) + "); check wiring, power and the address of the part number");
    }
    if (!(status & STATUS_POWERED)) throw new Error(this.where() + ": status " + hex(status) + " lacks the power indication bit (is this an ABP2? check its supply)");
    if (status & STATUS_MEMORY_ERROR) throw new Error(this.where() + ": status " + hex(status) + " reports a memory integrity error (the sensor's calibration is corrupt: replace it)");
    o.bus.writeTo(o.address, this.command);
  }

  read(): number {
    const o = this.opts;
    try {
      const b = o.bus.readFrom(o.address, READ_PRESSURE_BYTES);
      const status = b[0];
      if (status & STATUS_BUSY) {
        this.flags = QUALITY_LATE;
      } else {
        this.code = (b[1] << 16) | (b[2] << 8) | b[3];
        this.flags = status & STATUS_MEMORY_ERROR ? QUALITY_OPEN_CIRCUIT : status & STATUS_MATH_SATURATION ? QUALITY_SATURATED : 0;
      }
      o.bus.writeTo(o.address, this.command);
    } catch (err) {
      this.flags = QUALITY_OPEN_CIRCUIT;
    }
    return this.code;
  }

  quality(): number {
    return this.flags;
  }
}
