import { describe, expect, it } from "vitest";
import { ClockFitter } from "../../host/bridge/clock-fit.ts";

const T0_ms = 1_760_000_000_000;

/** Arrival delays of a few ms, repeating, so the fit sees jitter but no trend. */
const jitter_us = (i: number) => [2000, 5000, 3000, 4000][i % 4]!;

describe("ClockFitter", () => {
  it("finds the offset and drift of a board clock 250 ms ahead, running 40 ppm fast", () => {
    const fit = new ClockFitter();
    for (let i = 0; i < 200; i++) {
      const host_ms = T0_ms + i * 2000;
      const board_us = host_ms * 1000 + 250_000 + 40e-6 * i * 2_000_000 - jitter_us(i);
      fit.add(board_us, host_ms);
    }
    const state = fit.state("ntp")!;
    expect(state.drift_ppm).toBeCloseTo(40, 0);
    expect(state.offset_us).toBeGreaterThan(250_000 + 15_920 - 5000 - 500);
    expect(state.offset_us).toBeLessThan(250_000 + 15_920 - 2000 + 500);
    expect(state.rms_us).toBeLessThan(2000);
    expect(state.jumped).toBe(false);
  });

  it("ignores one late delivery but flags a step of the board clock", () => {
    const fit = new ClockFitter();
    let i = 0;
    const add = (step_us: number) => {
      const host_ms = T0_ms + i * 1000;
      i++;
      return fit.add(host_ms * 1000 + step_us - jitter_us(i), host_ms);
    };
    for (let k = 0; k < 30; k++) add(0);
    // Queued for 8 s by the broker: it arrives late once.
    expect(add(-8_000_000)).toBe(false);
    expect(fit.state("ntp")!.jumped).toBe(false);
    // NTP steps the board clock 3 s forward: every later point is off.
    expect([add(3_000_000), add(3_000_000), add(3_000_000)]).toEqual([false, false, true]);
    const state = fit.state("ntp")!;
    expect(state.jumped).toBe(true);
    expect(state.lastJumpSize_us).toBeGreaterThan(2_990_000);
    expect(state.offset_us).toBeGreaterThan(2_990_000);
  });
});
