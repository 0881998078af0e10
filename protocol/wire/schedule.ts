// The timing model of data frames (docs/PROTOCOL.md "data"): one base tick per board, each channel
// sampling every `every` ticks. Shared by the firmware and by the validation of rig configurations.

/** The shortest base tick the firmware will run; a shorter one means the rates share no usable common period. */
export const MIN_TICK_US = 1000;

/** How the channels' rates map onto one base tick: channel i samples every `every[i]` ticks. */
export interface Schedule {
  tick_us: number;
  every: number[];
  ticksPerFrame: number;
  /** Most samples channel i can have in one frame: the size of its preallocated buffer. */
  capacity: number[];
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/**
 * Periods are rounded to whole microseconds; the base tick is their greatest common divisor, so
 * every channel lands exactly on ticks and no rate is approximated by jitter.
 */
export function makeSchedule(channels: { rate_hz: number }[], frame_s: number): Schedule {
  const periods: number[] = [];
  let tick = 0;
  for (let i = 0; i < channels.length; i++) {
    const p = Math.round(1e6 / channels[i].rate_hz);
    periods.push(p);
    tick = tick === 0 ? p : gcd(tick, p);
  }
  if (tick < MIN_TICK_US) {
    throw new Error("channel rates share no common tick of at least 1 ms (their periods' common divisor is " + tick + " µs): choose rates whose periods are multiples of a common period");
  }
  const ticksPerFrame = Math.max(1, Math.round((frame_s * 1e6) / tick));
  const every: number[] = [];
  const capacity: number[] = [];
  for (let i = 0; i < periods.length; i++) {
    every.push(periods[i] / tick);
    capacity.push(Math.ceil(ticksPerFrame / every[i]));
  }
  return { tick_us: tick, every: every, ticksPerFrame: ticksPerFrame, capacity: capacity };
}
