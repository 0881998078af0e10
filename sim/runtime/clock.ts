/**
 * Shared virtual time for every simulated board, and the one queue of timers that runs on it.
 *
 * Time stands still while a callback runs: each callback sees its own scheduled time, so firmware that
 * timestamps with getTime() gets exact, reproducible values. Timers are ordered by due time, then by
 * the order in which they were (re)scheduled, so two runs with the same inputs behave identically.
 */

/** Whoever a timer belongs to (a board); all of an owner's timers can be cleared at once on reboot. */
export type TimerOwner = object;

export type TimerId = number;

interface Timer {
  readonly id: TimerId;
  readonly owner: TimerOwner;
  readonly callback: () => void;
  /** Set for intervals: due times are anchor + n·period, so rounding never accumulates into drift. */
  readonly period_s: number | undefined;
  readonly anchor_s: number;
  count: number;
  due_s: number;
}

export interface RealtimeOptions {
  /** 1 = real time, N = N times faster, "max" = as fast as the CPU allows. */
  speed: number | "max";
  /** Called when a timer callback throws, instead of stopping the clock. */
  onError?: (err: unknown) => void;
  /**
   * At "max" speed: the latest virtual time the clock may reach before work outside it catches up
   * (a broker's reply to a real socket), or undefined for no limit. The clock waits, yielding to
   * Node's event loop, until the limit moves or MAX_HOLD_ms of wall time have passed; then it goes
   * on, so a peer that never answers shows up to the firmware as a timeout, as it would on a board.
   */
  holdAt?: () => number | undefined;
}

export interface RealtimeHandle {
  stop(): void;
}

/** How long "max" speed runs timers before yielding so sockets and other I/O keep flowing. */
const MAX_SPEED_SLICE_ms = 5;
/** Longest wall-clock wait for `holdAt` before the clock moves on regardless. */
const MAX_HOLD_ms = 5000;
/** Longest wall-clock sleep between checks at a finite speed, so stop() and new timers are noticed promptly. */
const REALTIME_POLL_ms = 20;

export class VirtualClock {
  private now: number;
  private queue: Timer[] = [];
  private nextId = 1;

  constructor(start_s: number) {
    if (!Number.isFinite(start_s)) throw new RangeError(`clock start time must be a finite number of seconds, got ${start_s}`);
    this.now = start_s;
  }

  /** Current virtual time, Unix seconds (float). */
  now_s(): number {
    return this.now;
  }

  /** Runs `callback` once, `delay_s` from now. */
  setTimeout(owner: TimerOwner, callback: () => void, delay_s: number): TimerId {
    return this.add(owner, callback, Math.max(0, delay_s), undefined);
  }

  /** Runs `callback` every `period_s`, first at now + period_s. */
  setInterval(owner: TimerOwner, callback: () => void, period_s: number): TimerId {
    if (!(period_s > 0)) throw new RangeError(`interval period must be positive, got ${period_s} s`);
    return this.add(owner, callback, period_s, period_s);
  }

  /** Removes a timer; returns false if it had already run (timeouts) or was never there. */
  clear(id: TimerId): boolean {
    const queue = this.queue;
    let index = 0;
    while (index < queue.length && queue[index]!.id !== id) index++;
    if (index === queue.length) return false;
    for (let k = index + 1; k < queue.length; k++) queue[k - 1] = queue[k]!;
    queue.pop();
    return true;
  }

  /** Removes every timer of `owner`. */
  clearOwner(owner: TimerOwner): void {
    this.queue = this.queue.filter((t) => t.owner !== owner);
  }

  /** True while the timer is still queued. */
  has(id: TimerId): boolean {
    return this.queue.some((t) => t.id === id);
  }

  /** Number of queued timers, for one owner or for all. */
  pending(owner?: TimerOwner): number {
    return owner === undefined ? this.queue.length : this.queue.filter((t) => t.owner === owner).length;
  }

  /** Due time of the earliest timer, or undefined when nothing is queued. */
  nextDue_s(): number | undefined {
    return this.queue[0]?.due_s;
  }

  /** Runs every timer due up to and including `t_s`, in order, then sets the time to `t_s`. */
  advanceTo(t_s: number): void {
    if (t_s < this.now) throw new RangeError(`cannot move the clock back from ${this.now} s to ${t_s} s`);
    for (;;) {
      const head = this.queue[0];
      if (head === undefined || head.due_s > t_s) break;
      this.now = head.due_s;
      if (head.period_s !== undefined) {
        head.count += 1;
        head.due_s = head.anchor_s + head.count * head.period_s;
        this.requeueHead();
      } else {
        this.queue.shift();
      }
      head.callback();
    }
    this.now = t_s;
  }

  advanceBy(dt_s: number): void {
    if (!(dt_s >= 0)) throw new RangeError(`cannot advance the clock by ${dt_s} s`);
    this.advanceTo(this.now + dt_s);
  }

  /**
   * Drives the clock from the wall clock until stopped. At a finite speed virtual time follows
   * wall time × speed; at "max" every queued timer runs back to back, yielding to Node's event loop
   * every few milliseconds. With nothing queued, "max" lets virtual time follow wall time so that
   * incoming network data is still delivered at a sensible time.
   */
  runRealtime(options: RealtimeOptions): RealtimeHandle {
    const { speed } = options;
    if (speed !== "max" && !(speed > 0)) throw new RangeError(`realtime speed must be positive or "max", got ${speed}`);
    let running = true;
    let handle: NodeJS.Timeout | undefined;
    let immediate: NodeJS.Immediate | undefined;
    let holdSince_ms: number | undefined;
    let wallAnchor_ms = performance.now();
    let virtualAnchor_s = this.now;

    const step = (target_s: number) => {
      try {
        this.advanceTo(Math.max(this.now, target_s));
      } catch (err) {
        if (options.onError === undefined) throw err;
        options.onError(err);
      }
    };

    const tick = () => {
      if (!running) return;
      if (speed === "max") {
        const sliceEnd_ms = performance.now() + MAX_SPEED_SLICE_ms;
        const ignoreHold = holdSince_ms !== undefined && sliceEnd_ms - holdSince_ms > MAX_HOLD_ms;
        let held = false;
        while (running && performance.now() < sliceEnd_ms) {
          const due = this.nextDue_s();
          if (due === undefined) break;
          const limit = ignoreHold || options.holdAt === undefined ? undefined : options.holdAt();
          if (limit !== undefined && due > limit) {
            held = true;
            break;
          }
          step(due);
        }
        holdSince_ms = held ? (holdSince_ms ?? performance.now()) : undefined;
        if (!running) return;
        if (this.nextDue_s() === undefined) {
          step(virtualAnchor_s + (performance.now() - wallAnchor_ms) / 1000);
          handle = setTimeout(tick, REALTIME_POLL_ms);
        } else {
          // setImmediate, not setTimeout(0): a timeout waits at least 1 ms, which would dominate.
          immediate = setImmediate(tick);
        }
        wallAnchor_ms = performance.now();
        virtualAnchor_s = this.now;
        return;
      }
      step(virtualAnchor_s + ((performance.now() - wallAnchor_ms) / 1000) * speed);
      const due = this.nextDue_s();
      const wait_ms = due === undefined ? REALTIME_POLL_ms : Math.min(REALTIME_POLL_ms, Math.max(0, ((due - this.now) * 1000) / speed));
      handle = setTimeout(tick, wait_ms);
    };

    handle = setTimeout(tick, 0);
    return {
      stop() {
        running = false;
        if (handle !== undefined) clearTimeout(handle);
        if (immediate !== undefined) clearImmediate(immediate);
      },
    };
  }

  private add(owner: TimerOwner, callback: () => void, delay_s: number, period_s: number | undefined): TimerId {
    const timer: Timer = {
      id: this.nextId++,
      owner,
      callback,
      period_s,
      anchor_s: this.now,
      count: 1,
      due_s: this.now + delay_s,
    };
    this.insert(timer);
    return timer.id;
  }

  /** Inserts after every timer due at the same time or earlier, so equal due times keep scheduling order. */
  private insert(timer: Timer): void {
    const queue = this.queue;
    const at = this.after(timer.due_s, 0);
    // Moved by hand rather than with splice(), which allocates an array of the removed items on every call.
    queue.push(timer);
    for (let k = queue.length - 1; k > at; k--) queue[k] = queue[k - 1]!;
    queue[at] = timer;
  }

  /** Moves the head, whose due time has just grown, behind every timer due at the same time or earlier. */
  private requeueHead(): void {
    const queue = this.queue;
    const head = queue[0]!;
    const at = this.after(head.due_s, 1) - 1;
    for (let k = 0; k < at; k++) queue[k] = queue[k + 1]!;
    queue[at] = head;
  }

  /** Index of the first timer from `from` on that is due later than `due_s`. */
  private after(due_s: number, from: number): number {
    const queue = this.queue;
    let lo = from;
    let hi = queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (queue[mid]!.due_s <= due_s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
