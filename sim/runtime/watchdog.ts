import type { TimerId, TimerOwner, VirtualClock } from "./clock.ts";

/**
 * E.enableWatchdog(seconds, autoKick). With autoKick (the default), the interpreter kicks it from
 * its idle loop, which in the simulator always comes round, so only a firmware-kicked watchdog
 * (autoKick false) can expire: when `period_s` of virtual time pass without E.kickWatchdog().
 * Once enabled it stays enabled until the chip resets, as on the hardware.
 */
export class Watchdog {
  private period_s: number | undefined;
  private timer: TimerId | undefined;

  constructor(
    private readonly clock: VirtualClock,
    private readonly owner: TimerOwner,
    private readonly expire: () => void,
  ) {}

  enable(period_s: number, autoKick: boolean): void {
    if (!(period_s > 0)) throw new RangeError(`watchdog period must be positive, got ${period_s} s`);
    if (autoKick) {
      this.disarm();
      this.period_s = undefined;
      return;
    }
    this.period_s = period_s;
    this.kick();
  }

  kick(): void {
    if (this.period_s === undefined) return;
    this.disarm();
    this.timer = this.clock.setTimeout(this.owner, () => {
      this.timer = undefined;
      this.expire();
    }, this.period_s);
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clear(this.timer);
    this.timer = undefined;
  }
}
