import { ANALOG_CODE_FULL_SCALE } from "../../boards/chips/analog-pin.ts";
import type { SampleSource } from "./source.ts";

export interface AnalogPinOptions {
  pin: Pin;
  /** At or below this code the sample gets `lowFlag`. */
  lowCode: number;
  lowFlag: number;
  /** At or above this code the sample gets `highFlag`. */
  highCode: number;
  highFlag: number;
}

/**
 * An analog pin read by the board's ADC, as a code of 0 to 65535. Which rail means an open sensor
 * and which a short or saturation depends on the wiring, so the caller gives both thresholds.
 */
export class AnalogPin implements SampleSource {
  private readonly opts: AnalogPinOptions;
  private flags = 0;

  constructor(opts: AnalogPinOptions) {
    this.opts = opts;
  }

  start(): void {}

  read(): number {
    const o = this.opts;
    const code = Math.round(analogRead(o.pin) * ANALOG_CODE_FULL_SCALE);
    this.flags = code <= o.lowCode ? o.lowFlag : code >= o.highCode ? o.highFlag : 0;
    return code;
  }

  quality(): number {
    return this.flags;
  }
}
