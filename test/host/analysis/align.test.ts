import { describe, expect, it } from "vitest";
import { alignChannels, uniformTimeBase } from "../../../host/analysis/align.ts";
import { windowedSlope } from "../../../host/analysis/slope.ts";

describe("alignment on one time base", () => {
  it("interpolates between close samples and leaves gaps as gaps", () => {
    const base = uniformTimeBase(0, 10, 1);
    expect(base).toHaveLength(11);
    const aligned = alignChannels(base, [
      { name: "pressure_pa", time_s: new Float64Array([0.5, 1.5, 2.5, 7.5, 8.5]), values: new Float64Array([10, 20, 30, 80, 90]), maxGap_s: 2 },
    ]);
    const p = aligned.columns["pressure_pa"];
    expect(p[0]).toBeNaN(); // before the first sample
    expect(p[1]).toBeCloseTo(15, 12);
    expect(p[2]).toBeCloseTo(25, 12);
    for (const k of [3, 4, 5, 6, 7]) expect(p[k]).toBeNaN(); // the 5 s gap stays a gap
    expect(p[8]).toBeCloseTo(85, 12);
    expect(p[9]).toBeNaN();
    expect(aligned.basis["pressure_pa"]).toMatchObject({ samplesUsed: 5, gaps: 1, timeExcluded_s: 5, timeCovered_s: 3, pointsWithoutData: 8 });
  });

  it("corrects each channel's lag and skips flagged and out-of-order samples", () => {
    const base = uniformTimeBase(0, 4, 1);
    const aligned = alignChannels(base, [
      { name: "voltage_volt", time_s: new Float64Array([0, 1, 2, 3, 4]), values: new Float64Array([1, 2, 3, 4, 5]), maxGap_s: 1.5 },
      // Stamped 0.5 s late: the sample stamped 1.5 s describes t = 1 s.
      {
        name: "temperature",
        time_s: new Float64Array([0.5, 1.5, 2.5, 2.5, 2.0, 3.5, 4.5]),
        values: new Float64Array([20, 21, 99, 22, 77, 23, 24]),
        lag_s: 0.5,
        maxGap_s: 1.5,
        exclude: new Uint8Array([0, 0, 1, 0, 0, 0, 0]),
      },
    ]);
    expect(Array.from(aligned.columns["voltage_volt"])).toEqual([1, 2, 3, 4, 5]);
    const temperature = aligned.columns["temperature"];
    expect(Array.from(temperature)).toEqual([20, 21, 22, 23, 24]);
    expect(aligned.basis["temperature"]).toMatchObject({ samplesUsed: 5, samplesExcluded: 2, outOfOrder: 1 });
  });
});

describe("windowed slope", () => {
  it("is exact for a straight line far from zero time", () => {
    const n = 20000;
    const time_s = Float64Array.from({ length: n }, (_, i) => 2e6 + i);
    const y = Float64Array.from(time_s, (t) => 5 + 3e-9 * (t - 2e6));
    const slope = windowedSlope(time_s, y, 100);
    for (const k of [0, 60, 10000, n - 1]) expect(slope[k]).toBeCloseTo(3e-9, 15);
  });
});
