import { createReadStream } from "node:fs";
import { describe, expect, it } from "vitest";
import { readBdfCsv, readBdfCsvStream } from "../../../host/bdf/read.ts";
import { DLR_BASYTEC, SINTEF_NEWARE } from "./paths.ts";

/** The rows of the Neware file whose test_time_second reads 0 in the middle of the run (found by reading the file). */
const NEWARE_BAD_ROWS = [723, 1466, 1648, 5661, 5844, 7130, 7312, 7734, 7920, 9196, 9378, 9606, 9795, 11069, 11251, 11364, 11554, 12823, 13005];

describe("readBdfCsv on the reference files", () => {
  it("reads the SINTEF Neware file and reports its time defect with exact rows", () => {
    const table = readBdfCsv({ path: SINTEF_NEWARE });
    expect(table.rows).toBe(13086);
    expect(table.names).toEqual([
      "test_time_second",
      "voltage_volt",
      "current_ampere",
      "cycle_count",
      "step_index",
      "power_watt",
      "temperature_t1_celsius",
      "temperature_t2_celsius",
      "temperature_t3_celsius",
    ]);
    expect(table.units["current_ampere"]).toBe("A");
    expect(table.units["temperature_t1_celsius"]).toBe("°C");
    expect(table.units["step_index"]).toBe("1");
    expect(table.columns["voltage_volt"][0]).toBeCloseTo(3.8133, 12);
    const time = table.problems.filter((p) => p.kind.startsWith("time_"));
    expect(time).toHaveLength(1);
    const defect = time[0];
    expect(defect.kind).toBe("time_outlier");
    expect(defect.severity).toBe("error");
    expect(defect.rows).toEqual(NEWARE_BAD_ROWS);
    for (const row of defect.rows) expect(table.columns["test_time_second"][row - 1]).toBe(0);
    expect(defect.message).toContain("data rows 723, 1466");
    expect(defect.message).toContain("each reading 0 s");
    expect(defect.message).toContain("first row of a new step_index");
    expect(table.problems).toHaveLength(1);
  });

  it("reads the DLR Basytec file without errors and warns about its implausible time span", () => {
    const table = readBdfCsv({ path: DLR_BASYTEC });
    expect(table.rows).toBe(17860);
    expect(table.names).toEqual(["test_time_second", "voltage_volt", "current_ampere", "ambient_temperature_celsius"]);
    expect(table.problems.filter((p) => p.severity === "error")).toEqual([]);
    const span = table.problems.find((p) => p.kind === "time_span");
    expect(span?.rows).toEqual([1, 17860]);
    expect(span?.message).toContain("16.8 years");
  });

  it("gives the same table when the file arrives as a stream of chunks", async () => {
    const whole = readBdfCsv({ path: SINTEF_NEWARE });
    const streamed = await readBdfCsvStream(createReadStream(SINTEF_NEWARE, { encoding: "utf8", highWaterMark: 1000 }));
    expect(streamed.rows).toBe(whole.rows);
    expect(streamed.columns["current_ampere"]).toEqual(whole.columns["current_ampere"]);
    expect(streamed.problems).toEqual(whole.problems);
  });
});

describe("readBdfCsv on bad input", () => {
  it("reports an empty file", () => {
    const table = readBdfCsv({ text: "" });
    expect(table.rows).toBe(0);
    expect(table.problems.map((p) => p.kind)).toEqual(["empty_file"]);
  });

  it("reports a header without data rows", () => {
    const table = readBdfCsv({ text: "test_time_second,voltage_volt\n" });
    expect(table.names).toEqual(["test_time_second", "voltage_volt"]);
    expect(table.columns["voltage_volt"]).toHaveLength(0);
    expect(table.problems.map((p) => p.kind)).toEqual(["no_data_rows"]);
  });

  it("reports a non-numeric cell with its row and column and reads it as NaN", () => {
    const table = readBdfCsv({ text: "test_time_second,voltage_volt\n0,3.1\n1,oops\n2,3.3\n" });
    const problem = table.problems.find((p) => p.kind === "non_numeric_cell");
    expect(problem?.column).toBe("voltage_volt");
    expect(problem?.rows).toEqual([2]);
    expect(problem?.message).toContain('"oops"');
    expect(table.columns["voltage_volt"][1]).toBeNaN();
    expect(table.columns["voltage_volt"][2]).toBe(3.3);
  });

  it("reports rows with the wrong number of cells", () => {
    const table = readBdfCsv({ text: "test_time_second,voltage_volt,current_ampere\r\n0,3.1,0.5\r\n1,3.2\r\n2,3.3,0.5,9\r\n" });
    const problem = table.problems.find((p) => p.kind === "column_count");
    expect(problem?.rows).toEqual([2, 3]);
    expect(table.columns["current_ampere"][1]).toBeNaN();
    expect(table.columns["current_ampere"][2]).toBe(0.5);
  });

  it("reports empty cells, duplicated columns and a missing time column", () => {
    const table = readBdfCsv({ text: "voltage_volt,voltage_volt\n3.1,\n3.2,NaN\n" });
    expect(table.names).toEqual(["voltage_volt", "voltage_volt#2"]);
    expect(table.problems.map((p) => p.kind).sort()).toEqual(["duplicate_column", "empty_cell", "missing_time_column"]);
    expect(table.problems.find((p) => p.kind === "empty_cell")?.rows).toEqual([1, 2]);
  });

  it("keeps unknown columns and strips quotes and a byte-order mark", () => {
    const table = readBdfCsv({ text: '\ufeff"test_time_second","my_probe"\n"0","7.5"\n1,8\n' });
    expect(table.names).toEqual(["test_time_second", "my_probe"]);
    expect(table.units["my_probe"]).toBe("");
    expect(Array.from(table.columns["my_probe"])).toEqual([7.5, 8]);
    expect(table.problems).toEqual([]);
  });
});

describe("time-axis validation", () => {
  const read = (times: number[]) => readBdfCsv({ text: "test_time_second\n" + times.join("\n") + "\n" }).problems;

  it("reports a restart of the clock as going backwards", () => {
    const problems = read([0, 10, 20, 30, 0, 10, 20]);
    expect(problems.map((p) => [p.kind, p.rows])).toEqual([["time_backwards", [5]]]);
  });

  it("reports a single row ahead of both neighbours as the outlier, not the row after it", () => {
    const problems = read([0, 10, 20, 5000, 30, 40, 50]);
    expect(problems.map((p) => [p.kind, p.rows])).toEqual([["time_outlier", [4]]]);
  });

  it("reports repeated timestamps and jumps", () => {
    const problems = read([0, 10, 20, 20, 30, 40, 5000, 5010, 5020]);
    expect(problems.map((p) => [p.kind, p.rows])).toEqual([
      ["time_duplicate", [4]],
      ["time_jump", [7]],
    ]);
  });

  it("reports missing timestamps", () => {
    const problems = read([0, 10, Number.NaN, 30]);
    expect(problems.find((p) => p.kind === "empty_cell")?.rows).toEqual([3]);
    expect(problems.find((p) => p.kind === "time_not_finite")?.rows).toEqual([3]);
  });
});
