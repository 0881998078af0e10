import { describe, expect, it } from "vitest";
import { segmentRun } from "../../../host/analysis/steps.ts";
import { piecewiseRun } from "./synthetic.ts";

describe("step and cycle detection", () => {
  it("finds steps from the current, ignoring noise below the rest threshold and short blips", () => {
    const run = piecewiseRun(
      [
        { current_A: 0, duration_s: 600 },
        { current_A: 1e-3, duration_s: 3600 },
        { current_A: -1e-3, duration_s: 20 }, // a 20 s blip inside the charge
        { current_A: 1e-3, duration_s: 3600 },
        { current_A: 0, duration_s: 600 },
        { current_A: -1e-3, duration_s: 7200 },
      ],
      10,
    );
    for (let i = 0; i < run.current_A.length; i++) run.current_A[i] += (i % 2 === 0 ? 1 : -1) * 2e-5;
    const seg = segmentRun(run.time_s, run.current_A, { restThreshold_A: 5e-5, minDuration_s: 60, storing: "charge" });
    expect(seg.source).toBe("current");
    expect(seg.steps.map((s) => s.kind)).toEqual(["rest", "charge", "rest", "discharge"]);
    expect(seg.halfCycles).toHaveLength(2);
    expect(seg.cycles).toHaveLength(1);
    expect(seg.cycles[0].in?.direction).toBe("charge");
    expect(seg.cycles[0].out?.direction).toBe("discharge");
  });

  it("keeps rests inside a half-cycle (pulsed charge) and leaves rests around it out", () => {
    const run = piecewiseRun(
      [
        { current_A: 0, duration_s: 600 },
        { current_A: 1e-3, duration_s: 1800 },
        { current_A: 0, duration_s: 600 },
        { current_A: 1e-3, duration_s: 1800 },
        { current_A: 0, duration_s: 600 },
        { current_A: -1e-3, duration_s: 3600 },
      ],
      10,
    );
    const seg = segmentRun(run.time_s, run.current_A, { restThreshold_A: 5e-5, minDuration_s: 60, storing: "charge" });
    const [charge] = seg.halfCycles;
    expect(charge.steps).toBe(3);
    expect(charge.startTime_s).toBeCloseTo(600.001, 9);
    expect(charge.endTime_s).toBeCloseTo(600 + 1800 + 600 + 1800 + 0.003, 9);
  });

  it("starts a cycle without an 'in' half when the run begins with the releasing direction", () => {
    const run = piecewiseRun(
      [
        { current_A: -1e-3, duration_s: 3600 },
        { current_A: 1e-3, duration_s: 3600 },
        { current_A: -1e-3, duration_s: 3600 },
      ],
      10,
    );
    const seg = segmentRun(run.time_s, run.current_A, { restThreshold_A: 5e-5, minDuration_s: 60, storing: "charge" });
    expect(seg.cycles.map((c) => [c.in?.direction, c.out?.direction])).toEqual([
      [undefined, "discharge"],
      ["charge", "discharge"],
    ]);
  });

  it("follows the cycler's step_index column, ignoring excluded rows, and reports cycle_count", () => {
    const time_s = Float64Array.from({ length: 12 }, (_, i) => i * 10);
    const current_A = new Float64Array([0, 0, 0, 2, 2, 1, 0.5, 0, 0, -2, -2, -2]);
    const stepIndex = new Float64Array([1, 1, 1, 2, 2, 3, 3, 4, 99, 5, 5, 5]);
    const cycleCount = new Float64Array([7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7]);
    const exclude = new Uint8Array(12);
    exclude[8] = 1;
    const seg = segmentRun(time_s, current_A, { restThreshold_A: 0.01, minDuration_s: 60, storing: "charge", stepIndex, cycleCount, exclude });
    expect(seg.source).toBe("step_index");
    expect(seg.steps.map((s) => [s.cyclerStep, s.kind, s.start, s.end])).toEqual([
      [1, "rest", 0, 2],
      [2, "charge", 3, 4],
      [3, "charge", 5, 6],
      [4, "rest", 7, 7],
      [5, "discharge", 9, 11],
    ]);
    expect(seg.halfCycles.map((h) => [h.direction, h.start, h.end])).toEqual([
      ["charge", 3, 6],
      ["discharge", 9, 11],
    ]);
    expect(seg.cycles[0].cyclerCycle).toBe(7);
  });
});
