import type { Ads1115Twin } from "./ads1115.ts";

/** Physical quantity as a function of virtual time. */
export type Signal = (time_s: number) => number;

type AdcPin = 0 | 1 | 2 | 3;

/**
 * Faults of a detector's front end: `open` (a signal lead broken: that amplifier reads 0 V), `stuck`
 * (outputs frozen), `saturated` (every amplifier at its rail). Loss of optical sum (a bubble in the
 * beam path, misalignment, a failing laser) is set apart with setSumLoss, as physics would.
 */
export type DetectorFault = "none" | "open" | "stuck" | "saturated";

export interface FrontEndOptions {
  /** Transimpedance of each amplifier, Ω: photocurrent to volts. */
  transimpedance_ohm: number;
  /** Output swing limit of the amplifiers, V. */
  rail_V: number;
}

/** Photocurrent per signal → amplifier output, with the shared faults and sum loss. */
abstract class DetectorFrontEnd {
  protected readonly frontEnd: FrontEndOptions;
  protected photocurrent_A: Signal;
  private sumLoss = 0;
  private fault: DetectorFault = "none";
  private openSignal = 0;
  private stuck: number[] = [];

  constructor(frontEnd: FrontEndOptions, photocurrent_A: Signal) {
    this.frontEnd = frontEnd;
    this.photocurrent_A = photocurrent_A;
  }

  /** Total photocurrent of the spot, A. */
  setPhotocurrent(signal: Signal): void {
    this.photocurrent_A = signal;
  }

  /** Fraction of the light lost on the way (0 none, 1 all): the bubble case. */
  setSumLoss(fraction: number): void {
    this.sumLoss = Math.min(1, Math.max(0, fraction));
  }

  /** `signal` picks the lead that an `open` fault breaks (0 = A). */
  setFault(fault: DetectorFault, time_s = 0, signal = 0): void {
    if (fault === "stuck" && this.fault !== "stuck") this.stuck = this.shares(time_s).map((_, i) => this.voltage_V(i, time_s));
    this.fault = fault;
    this.openSignal = signal;
  }

  /** Fractions of the spot's light on each signal, summing to 1 while the spot is on the detector. */
  protected abstract shares(time_s: number): number[];

  /** Output of amplifier `index` at time_s, V. */
  voltage_V(index: number, time_s: number): number {
    if (this.fault === "stuck") return this.stuck[index]!;
    if (this.fault === "saturated") return this.frontEnd.rail_V;
    if (this.fault === "open" && index === this.openSignal) return 0;
    const i_A = this.photocurrent_A(time_s) * (1 - this.sumLoss) * this.shares(time_s)[index]!;
    return Math.min(this.frontEnd.rail_V, Math.max(0, i_A * this.frontEnd.transimpedance_ohm));
  }

  /** Feeds amplifier i into ADC input pins[i]. */
  connect(adc: Ads1115Twin, pins: AdcPin[]): void {
    pins.forEach((pin, i) => adc.setInput(pin, (t) => this.voltage_V(i, t)));
  }
}

/**
 * Two-electrode lateral-effect PSD of active length ℓ: a spot at x (from the centre, towards B)
 * splits its photocurrent as A = I(1/2 − x/ℓ), B = I(1/2 + x/ℓ), so x = (ℓ/2)(B − A)/(A + B).
 * A spot beyond either end (|x| > ℓ/2: the beam has walked off the detector, as a cantilever bent
 * past the optics' range sends it) falls outside the active area and no electrode collects it, so
 * the optical sum collapses to the amplifiers' zero.
 */
export class PsdTwin extends DetectorFrontEnd {
  private readonly activeLength_m: number;
  private position_m: Signal = () => 0;

  constructor(activeLength_m: number, frontEnd: FrontEndOptions, photocurrent_A: Signal) {
    super(frontEnd, photocurrent_A);
    this.activeLength_m = activeLength_m;
  }

  setPosition(signal: Signal): void {
    this.position_m = signal;
  }

  protected shares(time_s: number): number[] {
    const x = this.position_m(time_s);
    if (Math.abs(x) > this.activeLength_m / 2) return [0, 0];
    return [0.5 - x / this.activeLength_m, 0.5 + x / this.activeLength_m];
  }
}

/** Error function (Abramowitz and Stegun 7.1.26, |error| < 1.5e-7). */
export function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

/**
 * Quadrant photodiode with a Gaussian spot of 1/e² radius w at (x, y): segment A is x > 0, y > 0,
 * B is x < 0, y > 0, C is x < 0, y < 0, D is x > 0, y < 0 (so x ∝ (A + D) − (B + C) and
 * y ∝ (A + B) − (C + D)). The light right of the gap is (1 + erf(√2·x/w))/2; near the centre the
 * normalised difference is erf(√2·x/w) ≈ (2√2/√π)·x/w, so positionScale_m = √π·w/(2√2).
 */
export class QuadrantTwin extends DetectorFrontEnd {
  private readonly spotRadius_m: number;
  private x_m: Signal = () => 0;
  private y_m: Signal = () => 0;

  constructor(spotRadius_m: number, frontEnd: FrontEndOptions, photocurrent_A: Signal) {
    super(frontEnd, photocurrent_A);
    this.spotRadius_m = spotRadius_m;
  }

  setPosition(x_m: Signal, y_m: Signal): void {
    this.x_m = x_m;
    this.y_m = y_m;
  }

  /** Metres per unit of normalised difference near the centre. */
  positionScale_m(): number {
    return (Math.sqrt(Math.PI) * this.spotRadius_m) / (2 * Math.SQRT2);
  }

  protected shares(time_s: number): number[] {
    const right = (1 + erf((Math.SQRT2 * this.x_m(time_s)) / this.spotRadius_m)) / 2;
    const top = (1 + erf((Math.SQRT2 * this.y_m(time_s)) / this.spotRadius_m)) / 2;
    return [right * top, (1 - right) * top, (1 - right) * (1 - top), right * (1 - top)];
  }
}
