import type { DataFrameBlocks } from "../../protocol/wire/data-frame.ts";
import { QUALITY_LATE } from "../../protocol/wire/data-frame.ts";
import type { Schedule } from "../../protocol/wire/schedule.ts";
import type { SampleSource } from "../drivers/source.ts";

/** Timing of one finished frame. */
export interface FrameTiming {
  /** Nominal time of the frame's first tick, µs since the Unix epoch. */
  t0_us: number;
  /** Largest delay of a tick behind its nominal time in this frame, µs. */
  lateness_us: number;
}

export type FrameHandler = (timing: FrameTiming, blocks: DataFrameBlocks) => void;

/**
 * Samples every source on the base tick into preallocated typed arrays and hands over a frame every
 * `ticksPerFrame` ticks. Sample times are nominal (first tick + n·tick); how late each tick really
 * ran is measured with getTime() and reported, never hidden.
 */
export class Sampler {
  private readonly sources: SampleSource[];
  private readonly schedule: Schedule;
  private readonly onFrame: FrameHandler;
  private readonly blocks: DataFrameBlocks;
  private readonly timing: FrameTiming = { t0_us: 0, lateness_us: 0 };
  /** Ticks since the first one; channel i samples when tick % every[i] == 0. */
  private tick = 0;
  private tickInFrame = 0;
  private epoch_us = -1;
  private timer = -1;

  constructor(sources: SampleSource[], schedule: Schedule, onFrame: FrameHandler) {
    this.sources = sources;
    this.schedule = schedule;
    this.onFrame = onFrame;
    const samples: Int32Array[] = [];
    const zeros: number[] = [];
    for (let i = 0; i < sources.length; i++) {
      samples.push(new Int32Array(schedule.capacity[i]));
      zeros.push(0);
    }
    this.blocks = { samples: samples, counts: zeros.slice(), offsets: zeros.slice(), quality: zeros.slice() };
  }

  start(): void {
    const self = this;
    this.timer = setInterval(function () {
      self.step();
    }, this.schedule.tick_us / 1000);
  }

  stop(): void {
    if (this.timer >= 0) clearInterval(this.timer);
    this.timer = -1;
  }

  private step(): void {
    const now_us = Math.round(getTime() * 1e6);
    if (this.epoch_us < 0) this.epoch_us = now_us;
    const nominal_us = this.epoch_us + this.tick * this.schedule.tick_us;
    const late_us = now_us - nominal_us;
    const b = this.blocks;
    const every = this.schedule.every;
    if (this.tickInFrame === 0) {
      this.timing.t0_us = nominal_us;
      this.timing.lateness_us = 0;
      for (let i = 0; i < every.length; i++) {
        b.counts[i] = 0;
        b.quality[i] = 0;
        b.offsets[i] = (every[i] - (this.tick % every[i])) % every[i];
      }
    }
    if (late_us > this.timing.lateness_us) this.timing.lateness_us = late_us;
    const lateFlag = late_us * 2 > this.schedule.tick_us ? QUALITY_LATE : 0;
    for (let i = 0; i < every.length; i++) {
      if (this.tick % every[i] !== 0) continue;
      const source = this.sources[i];
      b.samples[i][b.counts[i]++] = source.read();
      b.quality[i] |= lateFlag | source.quality();
    }
    this.tick++;
    this.tickInFrame++;
    if (this.tickInFrame === this.schedule.ticksPerFrame) {
      this.tickInFrame = 0;
      this.onFrame(this.timing, b);
    }
  }
}
