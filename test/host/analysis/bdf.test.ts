import { describe, expect, it } from "vitest";
import { analyseBdf } from "../../../host/analysis/bdf.ts";
import { readBdfCsv } from "../../../host/bdf/read.ts";
import { DLR_BASYTEC, SINTEF_NEWARE } from "../bdf/paths.ts";

describe("analysis of the reference BDF files", () => {
  it("analyses the SINTEF Neware file with its out-of-order rows excluded and listed", () => {
    const result = analyseBdf(readBdfCsv({ path: SINTEF_NEWARE }));
    expect(result.excludedRows).toHaveLength(1);
    expect(result.excludedRows[0].kind).toBe("time_outlier");
    expect(result.excludedRows[0].rows).toHaveLength(19);
    expect(result.analysis.quality.excluded["bdf:time_outlier"]).toBe(19);
    const { segmentation, cycles } = result.analysis;
    expect(segmentation.source).toBe("step_index");
    expect(cycles).toHaveLength(5);
    for (const cycle of cycles) {
      expect(cycle.cyclerCycle).toBe(1);
      expect(cycle.in?.direction).toBe("charge");
      expect(cycle.out?.direction).toBe("discharge");
      // A rate test of a ~7 Ah pouch cell: every discharge gives 7.1 to 7.3 Ah.
      expect(cycle.out?.capacity_mAh).toBeGreaterThan(7100);
      expect(cycle.out?.capacity_mAh).toBeLessThan(7300);
      expect(cycle.in?.basis.timeExcluded_s).toBe(0);
    }
    // From cycle 2 on the cell starts discharged: CE just below 100 %.
    for (const cycle of cycles.slice(1)) {
      expect(cycle.coulombicEfficiency_percent).toBeGreaterThan(99);
      expect(cycle.coulombicEfficiency_percent).toBeLessThan(100);
    }
    expect(result.analysis.cyclerCheck).toEqual([]);
    expect(result.analysis.dqdv).toHaveLength(10);
  });

  it("analyses the DLR Basytec file from the current alone and reports its cycles and capacities", () => {
    const result = analyseBdf(readBdfCsv({ path: DLR_BASYTEC }));
    expect(result.excludedRows).toEqual([]);
    const { segmentation, cycles } = result.analysis;
    expect(segmentation.source).toBe("current");
    expect(segmentation.halfCycles.map((h) => h.direction)).toEqual(["discharge", "charge", "discharge"]);
    expect(cycles).toHaveLength(2);
    expect(cycles[0].in).toBeUndefined();
    expect(cycles[0].coulombicEfficiency).toBeNaN();
    const [charge, discharge] = [cycles[1].in, cycles[1].out];
    // On the file's own time axis (which spans 16.8 years, reported as a warning by the importer).
    expect(charge?.capacity_mAh).toBeCloseTo(22636.13, 1);
    expect(discharge?.capacity_mAh).toBeCloseTo(22226.61, 1);
    expect(cycles[1].coulombicEfficiency_percent).toBeCloseTo(98.19, 2);
    expect(charge?.meanVoltage_V).toBeGreaterThan(4.5);
    expect(charge?.basis.samplesUsed).toBe(7343);
  });
});
