import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readBdfCsv } from "../../host/bdf/read.ts";
import { writeExport } from "../../host/export/write-export.ts";
import { importBdf } from "../../host/import/import-bdf.ts";
import { DuckDbStore } from "../../host/store/duckdb-store.ts";
import type { Data } from "../../protocol/schema/data.ts";
import { makeBirth } from "../../scripts/fixtures/messages.ts";
import { SINTEF_NEWARE } from "./bdf/paths.ts";

const START_us = 1_729_670_400_000_000;

/** Ten rows a second apart, except row 6, whose time reads 0 in the middle of the run as in the Neware export. */
const NEWARE_LIKE = [
  "test_time_second,voltage_volt,current_ampere",
  ...[0, 1, 2, 3, 4, 0, 6, 7, 8, 9].map((t, i) => `${t},${(3.8 + i * 0.01).toFixed(2)},${i < 5 ? 1 : -1}`),
].join("\n");

describe("BDF import and board export", () => {
  let dir: string;
  let store: DuckDbStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "cellrig-export-"));
    store = new DuckDbStore({ path: join(dir, "store.duckdb") });
    await store.open();
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("leaves out the rows whose time is wrong, names them, and stores the rest once", async () => {
    const table = readBdfCsv({ text: NEWARE_LIKE });
    const report = await importBdf(store, table, { cell: "cell-n1", start_us: START_us });
    expect(report.rowsExcluded).toEqual([6]);
    expect(report.rowsStored).toBe(9);
    expect(report.messages.join("\n")).toMatch(/data row 6/);
    expect(report.messages[report.messages.length - 1]).toContain("left out 1 rows named by errors (data row 6)");
    await importBdf(store, table, { cell: "cell-n1", start_us: START_us });
    const voltage = await store.samples({ board: "cell-n1", channel: "voltage_volt" });
    expect(voltage.map((s) => (s.t_us - START_us) / 1e6)).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9]);
    expect(voltage[5]!.value).toBeCloseTo(3.86, 12);
    expect((await store.boards())[0]).toMatchObject({ board: "cell-n1", rig: "cycler", profile: "bdf-import" });
  });

  it("reports the Neware export's zero times by row and stores the other 13067 rows", async () => {
    const report = await importBdf(store, readBdfCsv({ path: SINTEF_NEWARE }), { cell: "sintef-1", start_us: START_us });
    expect(report.rowsExcluded).toEqual([723, 1466, 1648, 5661, 5844, 7130, 7312, 7734, 7920, 9196, 9378, 9606, 9795, 11069, 11251, 11364, 11554, 12823, 13005]);
    expect(report.rowsStored).toBe(13086 - 19);
    expect(report.messages[0]).toContain("data rows 723, 1466");
    expect(await store.samples({ board: "sintef-1", channel: "voltage_volt", limit: 100_000 })).toHaveLength(13067);
  });

  it("refuses a file without times it can place", async () => {
    const table = readBdfCsv({ text: "test_time_second,voltage_volt\n0,3.8\n1,3.9" });
    await expect(importBdf(store, table, { cell: "cell-n2" })).rejects.toThrow("give the test's start time (--start");
  });

  it("exports a board's channels on the fastest channel's times, as CSV and Parquet with a metadata sidecar", async () => {
    const birth = makeBirth();
    await store.writeBirth("rig-A", "cell-07", birth);
    const t0 = 1_754_000_001_000_000;
    const frame: Data = { b: birth.boot, c: [], p: birth.tick_us, s: 0, t: t0, v: 1 };
    const fast = Float64Array.from({ length: 10 }, (_, k) => t0 + k * 100_000);
    await store.writeFrame("rig-A", "cell-07", frame, [
      { channel: "p1", t_us: fast, raw: new Float64Array(10), value: Float64Array.from({ length: 10 }, (_, k) => 1000 + k) },
      { channel: "t1", t_us: [t0, t0 + 200_000], raw: [0, 0], value: [20, 30] },
      { channel: "s1", t_us: [], raw: [], value: [] },
    ]);
    const table = await store.exportRows({ board: "cell-07" });
    expect(table.columns.slice(0, 2)).toEqual(["test_time_second", "unix_time_second"]);
    expect(table.columns).toHaveLength(2 + birth.channels.length);
    const t1 = table.columns.indexOf(birth.channels[1]!.quantity);
    expect(table.rows).toHaveLength(10);
    expect(table.rows[3]![0]).toBeCloseTo(0.3, 9);
    expect(table.rows[3]![2]).toBe(1003);
    // t1 (5 Hz): interpolated between its two samples, nothing beyond them.
    expect(table.rows[1]![t1]).toBeCloseTo(25, 9);
    expect(table.rows[5]![t1]).toBeNull();
    expect(table.rows[9]![table.columns.length - 1]).toBeNull();
    expect(table.metadata).toMatchObject({ rig: "rig-A", board: "cell-07", boot: birth.boot, firmware: birth.fw, configuration_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const csv = await writeExport(table, join(dir, "out"), "csv");
    const lines = (await readFile(csv.data, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe(table.columns.join(","));
    const sidecar = JSON.parse(await readFile(csv.metadata, "utf8"));
    expect(sidecar.channels[0]).toMatchObject({ channel: "p1", cal: birth.channels[0]!.cal });

    const parquet = await writeExport(table, join(dir, "pq"), "parquet");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(`SELECT count(*) AS n, sum("${table.columns[2]}") AS p FROM '${parquet.data}'`);
    expect(reader.getRowObjectsJS()[0]).toEqual({ n: 10n, p: 10045 });
    connection.closeSync();
    instance.closeSync();
  });
});
