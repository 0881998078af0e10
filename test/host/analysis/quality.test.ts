import { describe, expect, it } from "vitest";
import { analyseCell } from "../../../host/analysis/cell.ts";
import { buildExclusion } from "../../../host/analysis/quality.ts";
import { piecewiseRun } from "./synthetic.ts";

describe("data quality", () => {
  it("counts each excluded sample once, under its first reason", () => {
    const exclusion = buildExclusion({
      length: 5,
      flags: { board_saturated: [0, 1, 1, 0, 0], bridge_late: [0, 0, 1, 1, 0] },
      finite: { voltage_V: [1, 2, 3, 4, Number.NaN] },
    });
    expect(exclusion.excluded).toEqual({ board_saturated: 2, bridge_late: 1, "not_finite:voltage_V": 1 });
    expect(exclusion.excludedTotal).toBe(4);
    expect(Array.from(exclusion.mask)).toEqual([0, 1, 1, 2, 3]);
  });

  it("leaves flagged samples out of the cell analysis and says how many", () => {
    const run = piecewiseRun(
      [
        { current_A: 0, duration_s: 600 },
        { current_A: 1e-3, duration_s: 3600 },
        { current_A: -1e-3, duration_s: 3600 },
      ],
      1,
    );
    const flagged = new Uint8Array(run.time_s.length);
    for (let i = 1000; i < 1010; i++) flagged[i] = 1;
    run.current_A[1005] = 50; // a glitch the board flagged
    const result = analyseCell(
      { ...run, flags: { board_flag: flagged } },
      { storing: "charge", restThreshold_A: 1e-5, minStepDuration_s: 60, maxGap_s: 30, dqdv: { method: "both" } },
    );
    expect(result.quality.excluded["board_flag"]).toBe(10);
    const [cycle] = result.cycles;
    expect(cycle.in?.capacity_mAh).toBeCloseTo(1, 12);
    expect(cycle.in?.basis.samplesExcluded).toBe(10);
    expect(cycle.in?.basis.timeExcluded_s).toBe(0);
    expect(result.dqdv.map((d) => d.method)).toEqual(["interpolate_invert", "histogram", "interpolate_invert", "histogram"]);
  });
});
