import { afterAll, describe, expect, it } from "vitest";
import { DuckDbStore } from "../../host/store/duckdb-store.ts";
import { PostgresStore } from "../../host/store/postgres-store.ts";
import type { SampleStore } from "../../host/store/store.ts";
import { makeBirth } from "../../scripts/fixtures/messages.ts";
import { postgresMissing, startPostgres, type Service } from "./services.ts";

const birth = makeBirth();
const T0_us = 1_754_000_000_000_000;

/** 100 samples 10 ms apart, value = index, except a spike of 500 at index 42. */
async function fill(store: SampleStore): Promise<void> {
  await store.writeBirth("rig-A", "cell-07", birth);
  const t_us = Float64Array.from({ length: 100 }, (_, k) => T0_us + k * 10_000);
  const value = Float64Array.from({ length: 100 }, (_, k) => (k === 42 ? 500 : k));
  await store.writeFrame("rig-A", "cell-07", { b: birth.boot, c: [], p: 10_000, s: 0, t: T0_us, v: 1 }, [{ channel: "p1", t_us, raw: value, value }]);
  await store.flush();
}

async function checkHistory(store: SampleStore): Promise<void> {
  await fill(store);
  const history = await store.history({ board: "cell-07", channel: "p1", from_us: T0_us, to_us: T0_us + 1_000_000, buckets: 10 });
  expect(history.t_us).toEqual(Array.from({ length: 10 }, (_, b) => T0_us + b * 100_000));
  expect(history.count).toEqual(new Array(10).fill(10));
  expect(history.min).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  expect(history.max).toEqual([9, 19, 29, 39, 500, 59, 69, 79, 89, 99]);
  // A range past the data leaves its empty buckets out.
  const late = await store.history({ board: "cell-07", channel: "p1", from_us: T0_us + 950_000, to_us: T0_us + 2_000_000, buckets: 2 });
  expect(late).toEqual({ t_us: [T0_us + 950_000], min: [95], max: [99], count: [5] });
  await expect(store.history({ board: "cell-07", channel: "p1", from_us: T0_us, to_us: T0_us, buckets: 10 })).rejects.toThrow("to_us");
}

describe("history: min and max per time bucket", () => {
  it("in DuckDB", async () => {
    const store = new DuckDbStore({ path: ":memory:" });
    await store.open();
    try {
      await checkHistory(store);
    } finally {
      await store.close();
    }
  });

  const missing = postgresMissing();
  if (missing !== undefined) console.warn(`SKIPPED: history in PostgreSQL: ${missing}`);
  let database: Service | undefined;
  afterAll(() => database?.stop());
  it.skipIf(missing !== undefined)("in PostgreSQL", async () => {
    database = await startPostgres();
    const store = new PostgresStore({ url: database.url });
    await store.open();
    try {
      await checkHistory(store);
    } finally {
      await store.close();
    }
  });
});
