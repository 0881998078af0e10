import {
  CONVERSION_S,
  COUNTS_MAX,
  OUTPUT_MAX_COUNTS,
  OUTPUT_MIN_COUNTS,
  STATUS_BUSY,
  STATUS_MATH_SATURATION,
  STATUS_MEMORY_ERROR,
  STATUS_POWERED,
  TEMPERATURE_MIN_DEGC,
  TEMPERATURE_SPAN_DEGC,
} from "../../boards/chips/abp2.ts";
import { nack, type SensorFault } from "./faults.ts";
import { gaussianAt, timeKey } from "./noise.ts";

export interface Abp2TwinOptions {
  /** Pressure at 10 % of 2^24 counts, Pa. */
  min_Pa: number;
  /** Pressure at 90 % of 2^24 counts, Pa. */
  max_Pa: number;
  noise_Pa?: number;
  seed?: number;
}

export type Abp2Fault = SensorFault | "memory_error";

/**
 * Register-level twin of a Honeywell ABP2-style sensor: the measurement command starts a conversion
 * that keeps the busy bit set for 5 ms; a read returns the status byte and the last conversion's
 * 24-bit pressure and temperature counts (transfer function 10 % to 90 % of 2^24). Counts beyond
 * 0 or 2^24 − 1 clamp and set the math-saturation bit.
 *
 * Faults: `open` stops acknowledging; `short` (sensing bridge shorted) gives zero-pressure counts
 * with math saturation; `stuck` freezes the counts; `saturated` clamps to 2^24 − 1 with math
 * saturation; `memory_error` sets the memory-integrity bit.
 */
export class Abp2Twin {
  readonly address: number;
  private readonly opts: Abp2TwinOptions;
  private fault: Abp2Fault = "none";
  private busyUntil_s = -Infinity;
  private counts = 0;
  private temperatureCounts = 0;
  private status = STATUS_POWERED;
  private pending = false;
  private pressure_Pa: (time_s: number) => number = () => 101325;
  private temperature_degC: (time_s: number) => number = () => 25;

  constructor(address: number, opts: Abp2TwinOptions) {
    this.address = address;
    this.opts = opts;
  }

  setPressure(signal: (time_s: number) => number): void {
    this.pressure_Pa = signal;
  }

  setTemperature(signal: (time_s: number) => number): void {
    this.temperature_degC = signal;
  }

  setFault(fault: Abp2Fault): void {
    this.fault = fault;
  }

  /** Pressure counts for a pressure, before clamping. */
  countsFor(pressure_Pa: number): number {
    const o = this.opts;
    return Math.round(OUTPUT_MIN_COUNTS + ((pressure_Pa - o.min_Pa) * (OUTPUT_MAX_COUNTS - OUTPUT_MIN_COUNTS)) / (o.max_Pa - o.min_Pa));
  }

  private convert(time_s: number): void {
    if (this.fault === "stuck") return;
    const o = this.opts;
    let p = this.pressure_Pa(time_s);
    if (o.noise_Pa) p += o.noise_Pa * gaussianAt(o.seed ?? this.address, timeKey(time_s));
    let raw = this.countsFor(p);
    if (this.fault === "short") raw = -1;
    if (this.fault === "saturated") raw = COUNTS_MAX + 1;
    this.counts = Math.min(COUNTS_MAX, Math.max(0, raw));
    const t = (this.temperature_degC(time_s) - TEMPERATURE_MIN_DEGC) / TEMPERATURE_SPAN_DEGC;
    this.temperatureCounts = Math.min(COUNTS_MAX, Math.max(0, Math.round(t * COUNTS_MAX)));
    this.status = STATUS_POWERED | (raw !== this.counts ? STATUS_MATH_SATURATION : 0) | (this.fault === "memory_error" ? STATUS_MEMORY_ERROR : 0);
  }

  write(bytes: Uint8Array, time_s: number): void {
    if (this.fault === "open") throw nack("write");
    if (bytes.length === 3 && bytes[0] === 0xaa) {
      // The result is the input at the end of the conversion.
      this.busyUntil_s = time_s + CONVERSION_S;
      this.pending = true;
    }
  }

  read(count: number, time_s: number): Uint8Array {
    if (this.fault === "open") throw nack("read");
    const busy = time_s < this.busyUntil_s;
    if (!busy && this.pending) {
      this.convert(this.busyUntil_s);
      this.pending = false;
    }
    const bytes = [
      (busy ? STATUS_BUSY : 0) | this.status | (this.fault === "memory_error" ? STATUS_MEMORY_ERROR : 0),
      (this.counts >> 16) & 0xff,
      (this.counts >> 8) & 0xff,
      this.counts & 0xff,
      (this.temperatureCounts >> 16) & 0xff,
      (this.temperatureCounts >> 8) & 0xff,
      this.temperatureCounts & 0xff,
    ];
    const out = new Uint8Array(count);
    for (let i = 0; i < count && i < bytes.length; i++) out[i] = bytes[i]!;
    return out;
  }
}
