import { QUALITY_LOW_OPTICAL_SUM } from "../../protocol/wire/data-frame.ts";
import type { SampleSource } from "./source.ts";

/** The latest code of every signal of one detector (PSD electrodes or quadrant segments). */
export class DetectorGroup {
  readonly codes: Int32Array;
  /** Below this sum of codes the optical signal is too weak for a position. */
  readonly minSumCode: number;

  constructor(signals: number, minSumCode: number) {
    this.codes = new Int32Array(signals);
    this.minSumCode = minSumCode;
  }

  sum(): number {
    let s = 0;
    for (let i = 0; i < this.codes.length; i++) s += this.codes[i];
    return s;
  }
}

/**
 * One photodiode signal of a detector group. Its own quality (saturation, a silent chip) plus the
 * group's: low optical sum when the signals together, each the latest read, fall below the threshold.
 */
export class PhotodiodeSignal implements SampleSource {
  private readonly input: SampleSource;
  private readonly group: DetectorGroup;
  private readonly index: number;

  constructor(input: SampleSource, group: DetectorGroup, index: number) {
    this.input = input;
    this.group = group;
    this.index = index;
  }

  start(): void {
    this.input.start();
  }

  read(): number {
    const code = this.input.read();
    this.group.codes[this.index] = code;
    return code;
  }

  quality(): number {
    return this.input.quality() | (this.group.sum() < this.group.minSumCode ? QUALITY_LOW_OPTICAL_SUM : 0);
  }
}
