import {
  CODE_MAX,
  CODE_MIN,
  CONFIG_COMP_DISABLE,
  CONFIG_DR_SHIFT,
  CONFIG_MODE_SINGLE,
  CONFIG_MUX_SHIFT,
  CONFIG_OS,
  CONFIG_PGA_SHIFT,
  DATA_RATE_SPS,
  DATA_RATE_TOLERANCE,
  MUX,
  PGA_FSR_V,
  REG_CONFIG,
  REG_CONVERSION,
} from "../../boards/chips/ads1115.ts";
import { QUALITY_OPEN_CIRCUIT, QUALITY_SATURATED } from "../../protocol/wire/data-frame.ts";
import { hex, reasonOf } from "./messages.ts";
import type { SampleSource } from "./source.ts";

export interface Ads1115ChipOptions {
  busName: string;
  bus: I2C;
  address: number;
  /** Sample period of the chip's channels (they share one rate), s. */
  period_s: number;
}

/** The fastest data rate: conversions take 1/860 s, up to 10 % longer on the internal oscillator. */
const DR_FASTEST = DATA_RATE_SPS.length - 1;
const CONVERSION_MS = ((1 + DATA_RATE_TOLERANCE) * 1000) / DATA_RATE_SPS[DR_FASTEST];

/**
 * One ADS1115 and the inputs channels read from it, always at 860 SPS.
 *
 * One input: continuous conversion, so a read returns a conversion at most 1.3 ms old.
 * Several inputs: the chip converts one input at a time, so they are scanned. At each sampling tick
 * the first read hands out the results of the previous scan and starts the next one: a single-shot
 * conversion per input, back to back, paced by a timer at the conversion time. Every code is
 * therefore one sample period late, and the scan must fit in a period (checked at start()).
 */
export class Ads1115Chip {
  private readonly opts: Ads1115ChipOptions;
  private readonly channels: string[] = [];
  private readonly configs: number[] = [];
  private readonly configBytes: Uint8Array[] = [];
  private readonly pointerConversion = new Uint8Array([REG_CONVERSION]);
  private codes = new Int32Array(0);
  private flags = new Uint8Array(0);
  private configured = 0;
  private scanning = false;
  private scanIndex = 0;
  private timer = -1;
  private readonly stepFn: () => void;

  constructor(opts: Ads1115ChipOptions) {
    this.opts = opts;
    const self = this;
    this.stepFn = function () {
      self.step();
    };
  }

  /** Adds an input read by `channel`; returns its index on the chip. */
  addInput(channel: string, input: string, range_V: number): number {
    const self = this;
    const mux = MUX[input];
    if (mux === undefined) {
      throw new Error(self.where(channel) + ': input "' + input + '" is not an ADS1115 input (AIN0-AIN3 or a pair)');
    }
    const pga = PGA_FSR_V.indexOf(range_V);
    if (pga < 0) {
      throw new Error(self.where(channel) + ": range " + range_V + " V is not an ADS1115 range (6.144 V halved down to 0.256 V)");
    }
    const config = (mux << CONFIG_MUX_SHIFT) | (pga << CONFIG_PGA_SHIFT) | (DR_FASTEST << CONFIG_DR_SHIFT) | CONFIG_COMP_DISABLE;
    self.channels.push(channel);
    self.configs.push(config);
    // Single-shot start: OS = 1 with MODE = 1; written from a preallocated buffer during scans.
    const single = config | CONFIG_OS | CONFIG_MODE_SINGLE;
    self.configBytes.push(new Uint8Array([REG_CONFIG, (single >> 8) & 0xff, single & 0xff]));
    return self.channels.length - 1;
  }

  private where(channel: string): string {
    return 'channel "' + channel + '": ADS1115 at ' + hex(this.opts.address) + " on " + this.opts.busName;
  }

  /** Configures the chip for the inputs added so far; a later input makes the next start() reconfigure. */
  start(): void {
    const self = this;
    const n = self.channels.length;
    if (self.configured === n) return;
    const scan_ms = n * CONVERSION_MS;
    if (n > 1 && scan_ms >= self.opts.period_s * 1000) {
      throw new Error(
        self.where(self.channels.join('", "')) + ": scanning " + n + " inputs takes " + Math.round(scan_ms * 100) / 100 + " ms, longer than the sample period of " +
          self.opts.period_s * 1000 + " ms (lower the rate or spread the inputs over more ADS1115s)",
      );
    }
    const first = n === 1 ? self.configs[0] : self.configs[0] | CONFIG_MODE_SINGLE;
    const bus = self.opts.bus;
    const address = self.opts.address;
    try {
      bus.writeTo(address, [REG_CONFIG, (first >> 8) & 0xff, first & 0xff]);
      bus.writeTo(address, [REG_CONFIG]);
      const back = bus.readFrom(address, 2);
      // OS reads back as 1 when idle and as 0 while converting, so compare without it.
      const got = ((back[0] << 8) | back[1]) & 0x7fff;
      if (got !== (first & 0x7fff)) {
        throw new Error("config register read back " + hex(got) + ", wrote " + hex(first & 0x7fff) + " (is this an ADS1115?)");
      }
      bus.writeTo(address, self.pointerConversion);
    } catch (err) {
      throw new Error(self.where(self.channels[n - 1]) + " did not answer (" + reasonOf(err) + "); check wiring, power and the ADDR pin");
    }
    // A scan begun for fewer inputs must not run on into the new configuration.
    if (self.timer >= 0) clearTimeout(self.timer);
    self.timer = -1;
    self.codes = new Int32Array(n);
    self.flags = new Uint8Array(n);
    self.configured = n;
    self.scanning = false;
    if (n > 1) self.startScan();
  }

  /** Code of input `index`: in continuous mode the latest conversion, when scanning the previous scan's. */
  read(index: number): number {
    const self = this;
    if (self.configured === 1) {
      try {
        const b = self.opts.bus.readFrom(self.opts.address, 2);
        self.store(0, (b[0] << 8) | b[1]);
      } catch (err) {
        self.flags[0] = QUALITY_OPEN_CIRCUIT;
      }
    } else if (!self.scanning) {
      self.startScan();
    }
    return self.codes[index];
  }

  quality(index: number): number {
    return this.flags[index];
  }

  private store(index: number, word: number): void {
    const code = word & 0x8000 ? word - 0x10000 : word;
    this.codes[index] = code;
    this.flags[index] = code >= CODE_MAX || code <= CODE_MIN ? QUALITY_SATURATED : 0;
  }

  private startScan(): void {
    this.scanning = true;
    this.scanIndex = 0;
    this.convert();
  }

  private convert(): void {
    try {
      this.opts.bus.writeTo(this.opts.address, this.configBytes[this.scanIndex]);
      this.timer = setTimeout(this.stepFn, CONVERSION_MS);
    } catch (err) {
      this.failScan();
    }
  }

  private step(): void {
    const self = this;
    self.timer = -1;
    const i = self.scanIndex;
    try {
      const bus = self.opts.bus;
      bus.writeTo(self.opts.address, self.pointerConversion);
      const b = bus.readFrom(self.opts.address, 2);
      self.store(i, (b[0] << 8) | b[1]);
    } catch (err) {
      self.failScan();
      return;
    }
    self.scanIndex = i + 1;
    if (self.scanIndex < self.configured) self.convert();
    else self.scanning = false;
  }

  /** A chip that stops answering mid-scan marks every input open; the next tick tries again. */
  private failScan(): void {
    for (let i = 0; i < this.flags.length; i++) this.flags[i] = QUALITY_OPEN_CIRCUIT;
    this.scanning = false;
  }
}

/** One channel's input on a shared ADS1115. */
export class Ads1115Input implements SampleSource {
  private readonly chip: Ads1115Chip;
  private readonly index: number;

  constructor(chip: Ads1115Chip, channel: string, input: string, range_V: number) {
    this.chip = chip;
    this.index = chip.addInput(channel, input, range_V);
  }

  start(): void {
    this.chip.start();
  }

  read(): number {
    return this.chip.read(this.index);
  }

  quality(): number {
    return this.chip.quality(this.index);
  }
}
