// Reconnect delays: 1 s doubling to 60 s, each drawn between half and all of the current step so
// that boards restarted together (one power strip) do not reconnect in lockstep.

export const BACKOFF_FIRST_s = 1;
export const BACKOFF_MAX_s = 60;

/**
 * xorshift32 (Marsaglia 2003) as numbers in [0, 1): a tiny PRNG that only needs 32-bit bitwise
 * operators, so it runs the same on Espruino and in tests.
 */
export function xorshift32(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return function () {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

export class Backoff {
  private step_s = BACKOFF_FIRST_s;
  private readonly random: () => number;

  constructor(random: () => number) {
    this.random = random;
  }

  /** The delay before the next attempt; each call doubles the step up to the maximum. */
  next_s(): number {
    const delay_s = this.step_s * (0.5 + 0.5 * this.random());
    this.step_s = Math.min(this.step_s * 2, BACKOFF_MAX_s);
    return delay_s;
  }

  reset(): void {
    this.step_s = BACKOFF_FIRST_s;
  }
}
