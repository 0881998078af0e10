import { DEFAULT_ADC_BITS } from "../../boards/chips/analog-pin.ts";
import { DEFAULT_TRANSDUCER, transducerVoltage_V, type RatiometricPressureSpec } from "../sensors/ratiometric-pressure.ts";
import type { SensorFault } from "./faults.ts";

export interface RatiometricPinOptions {
  transducer?: RatiometricPressureSpec;
  /** Divider from the transducer's output to the pin (≤ 1). */
  divider: number;
  /** Voltage at which the ADC reads full scale. */
  adcFullScale_V: number;
  adcBits?: number;
}

/**
 * A ratiometric pressure transducer (10 % to 90 % of its supply) on an analog pin through a divider,
 * quantised to the board's ADC. Faults: `open` (a broken signal wire: the pin is pulled to 0 V),
 * `short` (output shorted to the supply), `stuck` (the reading freezes), `saturated` (output at the
 * supply rail, as an over-range transducer shows).
 */
export class RatiometricPin {
  private readonly opts: RatiometricPinOptions;
  private pressure_Pa: (time_s: number) => number = () => 101325;
  private fault: SensorFault = "none";
  private stuckValue = 0;

  constructor(opts: RatiometricPinOptions) {
    this.opts = opts;
  }

  setPressure(signal: (time_s: number) => number): void {
    this.pressure_Pa = signal;
  }

  setFault(fault: SensorFault, time_s = 0): void {
    if (fault === "stuck" && this.fault !== "stuck") this.stuckValue = this.analog(time_s);
    this.fault = fault;
  }

  analog(time_s: number): number {
    const o = this.opts;
    const spec = o.transducer ?? DEFAULT_TRANSDUCER;
    if (this.fault === "stuck") return this.stuckValue;
    let v: number;
    if (this.fault === "open") v = 0;
    else if (this.fault === "short" || this.fault === "saturated") v = spec.supply_V;
    else v = transducerVoltage_V(spec, this.pressure_Pa(time_s));
    const steps = Math.pow(2, o.adcBits ?? DEFAULT_ADC_BITS) - 1;
    const fraction = Math.min(1, Math.max(0, (v * o.divider) / o.adcFullScale_V));
    return Math.round(fraction * steps) / steps;
  }
}
