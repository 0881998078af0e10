import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../cli/main.ts";
import { DuckDbStore } from "../../../host/store/duckdb-store.ts";
import type { Birth } from "../../../protocol/schema/birth.ts";
import { DLR_BASYTEC, SINTEF_NEWARE } from "../bdf/paths.ts";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let dir: string;
let stdout: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cellrig-analyze-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => {
  stdout = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void stdout.push(args.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void stdout.push(`stderr: ${args.join(" ")}`));
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterEach(() => vi.restoreAllMocks());

async function analyzeJson(args: string[]): Promise<{ cycles: Record<string, number | null>[]; gas: unknown; stress: unknown; quality: Record<string, unknown> }> {
  expect(await main(["analyze", ...args, "--json"])).toBe(0);
  return JSON.parse(stdout.join("\n"));
}

describe("cellrig analyze", () => {
  it("analyses the SINTEF file and reports its time defect in quality with the row count", async () => {
    const doc = await analyzeJson([SINTEF_NEWARE]);
    expect(doc.cycles).toHaveLength(5);
    for (const cycle of doc.cycles) {
      expect(Object.keys(cycle)).toEqual(expect.arrayContaining(["cycle", "charge_capacity_ah", "discharge_capacity_ah", "coulombic_efficiency", "energy_efficiency"]));
      expect(cycle.discharge_capacity_ah).toBeGreaterThan(7.1);
      expect(cycle.discharge_capacity_ah).toBeLessThan(7.3);
    }
    expect(doc.gas).toBeNull();
    expect(doc.stress).toBeNull();
    const problems = doc.quality.problems as { kind: string; row_count: number }[];
    expect(problems.find((p) => p.kind === "time_outlier")?.row_count).toBe(19);
    expect(doc.quality.excluded_rows).toEqual([expect.objectContaining({ kind: "time_outlier", row_count: 19 })]);
    expect(doc.quality.cycle_source).toBe("step_index");
  });

  it("analyses the DLR file from the current alone", async () => {
    const doc = await analyzeJson([DLR_BASYTEC]);
    expect(doc.cycles).toHaveLength(2);
    expect(doc.cycles[0].charge_capacity_ah).toBeNull();
    expect(doc.cycles[1].coulombic_efficiency).toBeCloseTo(0.9819, 4);
    expect(doc.quality.cycle_source).toBe("current");
  });

  it("writes the table as CSV with BDF-style names and every figure as SVG and PNG", async () => {
    const out = join(dir, "sintef");
    expect(await main(["analyze", SINTEF_NEWARE, "--out", out])).toBe(0);
    expect(stdout.join("\n")).toContain("time_outlier");
    const csv = readFileSync(join(out, "cycles.csv"), "utf8").split("\n");
    expect(csv[0].split(",")).toEqual(expect.arrayContaining(["cycle_count", "charge_capacity_ampere_hour", "discharge_capacity_ampere_hour", "coulombic_efficiency", "energy_efficiency"]));
    expect(csv.filter((line) => line.length > 0)).toHaveLength(6);
    for (const stem of ["versus-time", "versus-capacity", "dqdv"]) {
      const svg = readFileSync(join(out, `${stem}.svg`), "utf8");
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).toMatch(/\((V|h|d|mAh|mAh\/V)\)/);
      const png = readFileSync(join(out, `${stem}.png`));
      expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
      // IHDR width and height: the figures render at twice their SVG size.
      expect(png.readUInt32BE(16)).toBe(1440);
      expect(png.readUInt32BE(20)).toBeGreaterThan(600);
      expect(statSync(join(out, `${stem}.png`)).size).toBeGreaterThan(10_000);
    }
  });

  it("says what is wrong with a missing file, a file that is not CSV, and a CSV without the needed columns", async () => {
    expect(await main(["analyze", join(dir, "nope.csv")])).toBe(1);
    expect(stdout.join("\n")).toMatch(/input ".*nope\.csv" does not exist; give a BDF CSV file/);
    stdout.length = 0;
    expect(await main(["analyze", join(dir)])).toBe(1);
    expect(stdout.join("\n")).toContain("is a directory");
    stdout.length = 0;
    const json = join(dir, "cell.json");
    writeFileSync(json, "{}");
    expect(await main(["analyze", json])).toBe(1);
    expect(stdout.join("\n")).toContain("is not a CSV file");
    stdout.length = 0;
    const csv = join(dir, "odd.csv");
    writeFileSync(csv, "test_time_second,temperature\n0,25\n1,25\n");
    expect(await main(["analyze", csv])).toBe(1);
    expect(stdout.join("\n")).toContain('no "current_ampere" column');
    stdout.length = 0;
    expect(await main(["analyze", "--storing", "sideways", SINTEF_NEWARE])).toBe(2);
    expect(stdout.join("\n")).toContain('--storing must be "charge" or "discharge"');
  });

  it("analyses a board's channels from a DuckDB store by their BDF quantity names", async () => {
    const path = join(dir, "store.duckdb");
    const store = new DuckDbStore({ path });
    await store.open();
    const birth: Birth = {
      board: "cell-01",
      boot: 1,
      channels: [
        { id: "v", quantity: "voltage_volt", unit: "V", sensor: "ina226", rate_hz: 0.1, every: 1, cal: { kind: "linear", gain: 1, offset: 0 } },
        { id: "i", quantity: "current_ampere", unit: "A", sensor: "ina226", rate_hz: 0.1, every: 1, cal: { kind: "linear", gain: 1, offset: 0 } },
      ],
      clock: { source: "ntp", offset_us: 0 },
      fw: { version: "1", build: "b" },
      profile: "test",
      rig: "rig",
      seq: 0,
      t: 1_700_000_000_000_000,
      tick_us: 10_000_000,
      v: 1,
    };
    await store.writeBirth("rig", "cell-01", birth);
    // Two cycles of 2 h at ±1 mA with 30 min rests, sampled every 10 s: 2 mAh each way.
    const phases = [0, 1e-3, 0, -1e-3, 0, 1e-3, 0, -1e-3, 0];
    const lengths_s = [1800, 7200, 1800, 7200, 1800, 7200, 1800, 7200, 1800];
    const t_us: number[] = [];
    const current: number[] = [];
    const voltage: number[] = [];
    let t = 0;
    let charge = 0;
    phases.forEach((I, k) => {
      for (let s = 0; s < lengths_s[k]; s += 10) {
        t_us.push(birth.t + t * 1e6);
        current.push(I);
        voltage.push(3.5 + charge / 7.2);
        charge += I * 10;
        t += 10;
      }
    });
    for (let start = 0; start < t_us.length; start += 360) {
      const end = Math.min(t_us.length, start + 360);
      const slice = (values: number[]) => Float64Array.from(values.slice(start, end));
      await store.writeFrame("rig", "cell-01", { b: 1, c: [], p: birth.tick_us, s: start / 360, t: t_us[start], v: 1 }, [
        { channel: "v", t_us: slice(t_us), raw: Int32Array.from(voltage.slice(start, end), (v) => Math.round(v * 1000)), value: slice(voltage) },
        { channel: "i", t_us: slice(t_us), raw: Int32Array.from(current.slice(start, end), (i) => Math.round(i * 1e6)), value: slice(current) },
      ]);
    }
    await store.flush();
    await store.close();
    const doc = await analyzeJson(["--store", `duckdb:${path}`, "--board", "cell-01"]);
    expect(doc.cycles).toHaveLength(2);
    for (const cycle of doc.cycles) {
      expect(Math.abs((cycle.charge_capacity_ah as number) / 0.002 - 1)).toBeLessThan(0.01);
      expect(Math.abs((cycle.discharge_capacity_ah as number) / 0.002 - 1)).toBeLessThan(0.01);
    }
    stdout.length = 0;
    expect(await main(["analyze", "--store", `duckdb:${path}`, "--board", "cell-99"])).toBe(1);
    expect(stdout.join("\n")).toContain('board "cell-99" has no birth in the store (boards there: cell-01)');
  });
});
