import {
  CONFIG_COMP_DISABLE,
  CONFIG_DR_SHIFT,
  CONFIG_MUX_SHIFT,
  CONFIG_PGA_SHIFT,
  DATA_RATE_SPS,
  MUX,
  PGA_FSR_V,
  REG_CONFIG,
  REG_CONVERSION,
} from "../../boards/chips/ads1115.ts";
import type { SampleSource } from "./source.ts";

export interface Ads1115Options {
  channel: string;
  busName: string;
  bus: I2C;
  address: number;
  /** A key of MUX: "AIN0" … "AIN3" single-ended, or a differential pair such as "AIN0-AIN1". */
  input: string;
  /** Full-scale range, ±V: one of PGA_FSR_V. */
  range_V: number;
}

function hex(n: number): string {
  return "0x" + n.toString(16);
}

/**
 * One ADS1115 input read in continuous-conversion mode at the chip's fastest rate (860 SPS), so a
 * read returns a conversion at most 1.2 ms old without waiting for a ready bit in the sampling path.
 */
export class Ads1115 implements SampleSource {
  private readonly opts: Ads1115Options;
  private readonly config: number;

  constructor(opts: Ads1115Options) {
    this.opts = opts;
    const mux = MUX[opts.input];
    if (mux === undefined) {
      throw new Error(this.where() + ': input "' + opts.input + '" is not an ADS1115 input (use AIN0-AIN3 or a pair such as AIN0-AIN1)');
    }
    const pga = PGA_FSR_V.indexOf(opts.range_V);
    if (pga < 0) {
      throw new Error(this.where() + ": range " + opts.range_V + " V is not an ADS1115 full-scale range (use 6.144, 4.096, 2.048, 1.024, 0.512 or 0.256)");
    }
    const dr = DATA_RATE_SPS.length - 1;
    // MODE bit 0 selects continuous conversion; the comparator is unused.
    this.config = (mux << CONFIG_MUX_SHIFT) | (pga << CONFIG_PGA_SHIFT) | (dr << CONFIG_DR_SHIFT) | CONFIG_COMP_DISABLE;
  }

  private where(): string {
    return 'channel "' + this.opts.channel + '": ADS1115 at ' + hex(this.opts.address) + " on " + this.opts.busName;
  }

  start(): void {
    const bus = this.opts.bus;
    const address = this.opts.address;
    try {
      bus.writeTo(address, [REG_CONFIG, (this.config >> 8) & 0xff, this.config & 0xff]);
      bus.writeTo(address, [REG_CONFIG]);
      const back = bus.readFrom(address, 2);
      // OS reads back as 1 when idle and as 0 while converting, so compare without it.
      const got = ((back[0] << 8) | back[1]) & 0x7fff;
      if (got !== (this.config & 0x7fff)) {
        throw new Error("config register read back " + hex(got) + ", wrote " + hex(this.config & 0x7fff) + " (is this an ADS1115?)");
      }
      bus.writeTo(address, [REG_CONVERSION]);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(this.where() + " did not answer (" + reason + "); check wiring, power and the ADDR pin");
    }
  }

  /** The latest conversion as a signed 16-bit code. The pointer stays on the conversion register. */
  read(): number {
    const b = this.opts.bus.readFrom(this.opts.address, 2);
    const code = (b[0] << 8) | b[1];
    return code & 0x8000 ? code - 0x10000 : code;
  }
}
