import type { VirtualClock } from "./clock.ts";

/**
 * A board's own clock: the shared virtual time as the board's crystal and real-time clock see it.
 * A crystal off by `drift_ppm` makes getTime() run fast or slow and stretches or shrinks every
 * timer delay by the same factor; a step (a clock set by NTP or by hand, a jump after a brown-out)
 * moves getTime() at once and leaves the timers alone, as the interpreter's timers count elapsed
 * ticks rather than wall-clock time. With no drift and no step the board's time is the virtual
 * time exactly, so samples land on the instants tests compute.
 */
export class BoardTime {
  private offset_s = 0;
  private anchor_s: number;
  private drift = 0;

  constructor(private readonly clock: VirtualClock) {
    this.anchor_s = clock.now_s();
  }

  /** What getTime() returns now, s. */
  now_s(): number {
    const t = this.clock.now_s();
    return this.drift === 0 ? t + this.offset_s : t + this.offset_s + (t - this.anchor_s) * this.drift;
  }

  /** Board time minus true (virtual) time, s. */
  error_s(): number {
    return this.now_s() - this.clock.now_s();
  }

  get drift_ppm(): number {
    return this.drift * 1e6;
  }

  /** From now on the board's clock runs `ppm` parts per million fast (negative: slow). */
  setDrift(ppm: number): void {
    if (!Number.isFinite(ppm) || Math.abs(ppm) >= 1e5) throw new RangeError(`clock drift must be a finite number of ppm below 100000 in size, got ${ppm}`);
    const t = this.clock.now_s();
    this.offset_s += (t - this.anchor_s) * this.drift;
    this.anchor_s = t;
    this.drift = ppm * 1e-6;
  }

  /** Steps the board's clock by `delta_s` (negative: back). */
  step(delta_s: number): void {
    if (!Number.isFinite(delta_s)) throw new RangeError(`clock step must be a finite number of seconds, got ${delta_s}`);
    this.offset_s += delta_s;
  }

  /** Virtual seconds that a delay of `local_s` on the board's clock lasts. */
  toVirtual_s(local_s: number): number {
    return this.drift === 0 ? local_s : local_s / (1 + this.drift);
  }
}
