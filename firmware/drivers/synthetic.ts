import type { SampleSource } from "./source.ts";

export interface SyntheticOptions {
  shape: "sine" | "ramp" | "step";
  /** Peak deviation from offset, raw codes. */
  amplitude: number;
  period_s: number;
  /** Centre value, raw codes. */
  offset: number;
}

/** A signal made on the board from its own clock, for smoke tests on boards without sensors. */
export class Synthetic implements SampleSource {
  private readonly opts: SyntheticOptions;

  constructor(opts: SyntheticOptions) {
    this.opts = opts;
  }

  start(): void {}

  quality(): number {
    return 0;
  }

  read(): number {
    const o = this.opts;
    const phase = (getTime() % o.period_s) / o.period_s;
    let unit: number;
    if (o.shape === "sine") unit = Math.sin(2 * Math.PI * phase);
    else if (o.shape === "ramp") unit = 2 * phase - 1;
    else unit = phase < 0.5 ? -1 : 1;
    return Math.round(o.offset + o.amplitude * unit);
  }
}
