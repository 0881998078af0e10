import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startBridge, type Bridge } from "../../host/bridge/bridge.ts";
import { DuckDbStore } from "../../host/store/duckdb-store.ts";
import { PostgresStore } from "../../host/store/postgres-store.ts";
import type { SampleStore } from "../../host/store/store.ts";
import { mosquittoMissing, postgresMissing, startMosquitto, startPostgres } from "../services/local.ts";
import { compared, type Benchmark, type Figure } from "./figure.ts";
import { birthOf, BOARDS, boardName, CHANNELS, SAMPLES_PER_FRAME, StreamProcess, T0_us } from "./host-stream.ts";

const RECEIVE_MAXIMUM = 1000;
/** How long the bridge may still be storing a step's frames after the broker took the last one: a few commits. */
const LAG_ALLOWED_s = 0.5;
const POLL_ms = 10;

/** One offered load: how fast the boards published and how fast each subscriber took it all in. */
interface Step {
  frames: number;
  offered: number;
  counter: number;
  bridge: number;
  /** The bridge stored the step's frames at most LAG_ALLOWED_s after the broker acknowledged the last one. */
  sustained: boolean;
}

interface Ladder {
  /** Offered loads in samples/s, lowest first; the ladder stops at the first the bridge does not sustain. */
  rates: number[];
  seconds: number;
}

const DUCKDB_LADDER: Ladder = { rates: [250_000, 500_000, 750_000, 1_000_000, 1_250_000, 1_500_000, 1_750_000, 2_000_000, 2_500_000, 3_000_000], seconds: 8 };
const POSTGRES_LADDER: Ladder = { rates: [10_000, 25_000, 50_000, 75_000, 100_000, 150_000, 200_000, 300_000], seconds: 6 };

interface Stream {
  brokerUrl: string;
  boards: StreamProcess;
  counter: StreamProcess;
}

/** Waits for `done` (polled); returns the seconds from `since_ms`, or undefined after `timeout_s`. */
async function secondsUntil(done: () => Promise<boolean> | boolean, since_ms: number, timeout_s: number): Promise<number | undefined> {
  for (;;) {
    if (await done()) return (performance.now() - since_ms) / 1000;
    if (performance.now() - since_ms > timeout_s * 1000) return undefined;
    await new Promise((resolve) => setTimeout(resolve, POLL_ms));
  }
}

function checkBridge(bridge: Bridge, engine: string): void {
  const { faults } = bridge.stats();
  const [rejection] = bridge.rejections();
  if (rejection !== undefined) throw new Error(`host benchmark (${engine}): the bridge rejected a message: ${rejection.message}`);
  if (faults.flush > 0) throw new Error(`host benchmark (${engine}): ${faults.last}`);
}

/**
 * Offers `samples_per_s` for `seconds` with the bridge and the counting subscriber both attached;
 * each subscriber's rate is the step's samples over the time from the first publish until it had
 * them all (the bridge: committed and acknowledged), so a subscriber that keeps up shows the
 * offered load and one that does not shows what it managed.
 */
async function step(stream: Stream, bridge: Bridge, engine: string, samples_per_s: number, seconds: number): Promise<Step> {
  const counted = (await stream.counter.count()).frames;
  const acked = bridge.stats().acked;
  const started_ms = performance.now();
  const offered = await stream.boards.offer(samples_per_s, seconds);
  const published_s = (performance.now() - started_ms) / 1000;
  const counter_s = await secondsUntil(async () => (await stream.counter.count()).frames >= counted + offered.frames, started_ms, published_s + 60);
  if (counter_s === undefined) throw new Error(`host benchmark: the counting subscriber did not receive the ${offered.frames} frames offered within a minute; the broker dropped some`);
  const drain_s = Math.max(60, 3 * published_s);
  const bridge_s = await secondsUntil(
    () => {
      checkBridge(bridge, engine);
      return bridge.stats().acked >= acked + offered.frames;
    },
    started_ms,
    published_s + drain_s,
  );
  if (bridge_s === undefined) throw new Error(`host benchmark (${engine}): the bridge did not store the ${offered.frames} frames offered within ${drain_s.toFixed(0)} s of the last`);
  const samples = offered.frames * SAMPLES_PER_FRAME;
  return { frames: offered.frames, offered: samples / offered.seconds, counter: samples / counter_s, bridge: samples / bridge_s, sustained: bridge_s <= published_s + LAG_ALLOWED_s };
}

/**
 * Runs the bridge into `store` under the ladder's offered loads; returns the steps and the highest
 * sustained one. Ends by checking that the store holds every sample the boards published while
 * the bridge was attached, each once: a message the broker dropped would make the rate a lie.
 */
async function climb(stream: Stream, store: SampleStore, engine: string, ladder: Ladder, progress: (line: string) => void): Promise<{ best?: Step; steps: Step[] }> {
  await store.open();
  const bridge = await startBridge({ brokerUrl: stream.brokerUrl, store, clientId: `bench-${engine}`, receiveMaximum: RECEIVE_MAXIMUM, sessionExpiry_s: 0 });
  const steps: Step[] = [];
  let best: Step | undefined;
  try {
    const ready_s = await secondsUntil(() => bridge.boards().length === BOARDS, performance.now(), 30);
    if (ready_s === undefined) throw new Error(`host benchmark (${engine}): the bridge knows ${bridge.boards().length} of ${BOARDS} boards after 30 s; the retained births did not arrive`);
    await bridge.idle();
    let published = 0;
    for (const rate of ladder.rates) {
      const result = await step(stream, bridge, engine, rate, ladder.seconds);
      published += result.frames * SAMPLES_PER_FRAME;
      steps.push(result);
      progress(
        `host: ${engine}: offered ${fmt(result.offered)}, counting subscriber ${fmt(result.counter)}, bridge ${fmt(result.bridge)} samples/s ` +
          `(ratio ${(result.bridge / result.counter).toFixed(3)}${result.sustained ? "" : ", backlog grew: not sustained"})`,
      );
      if (result.offered < 0.9 * rate) {
        progress(`host: ${engine}: the boards published ${fmt(result.offered)} of the ${fmt(rate)} samples/s asked; the machine cannot offer more`);
        if (result.sustained) best = result;
        break;
      }
      if (!result.sustained) break;
      best = result;
    }
    await bridge.idle();
    const stored = await storedSamples(store);
    if (stored !== published) throw new Error(`host benchmark (${engine}): the boards published ${published} samples while the bridge ran, the store holds ${stored}`);
    progress(`host: ${engine}: the store holds exactly the ${published} samples published`);
  } finally {
    await bridge.stop();
    await store.close();
  }
  return { best, steps };
}

/** Samples stored for the benchmark's boards, counted by the database. */
async function storedSamples(store: SampleStore): Promise<number> {
  let total = 0;
  for (let b = 0; b < BOARDS; b++) {
    for (let c = 0; c < CHANNELS; c++) {
      const history = await store.history({ board: boardName(b), channel: `ch${c}`, from_us: 0, to_us: T0_us * 2, buckets: 1 });
      total += history.count.reduce((a, n) => a + n, 0);
    }
  }
  return total;
}

function fmt(samples_per_s: number): string {
  return samples_per_s >= 1e6 ? `${(samples_per_s / 1e6).toFixed(2)} M` : `${(samples_per_s / 1e3).toFixed(0)} k`;
}

/** Figures of one engine: the highest sustained bridge rate, and the ratio to the baseline at that load. */
function ingestFigures(engine: string, result: { best?: Step; steps: Step[] }): Figure[] {
  const suffix = engine === "duckdb" ? "" : `.${engine}`;
  const best = result.best;
  if (best === undefined) {
    const first = result.steps[0]!;
    throw new Error(`host benchmark (${engine}): the bridge sustained none of the offered loads, not even ${fmt(first.offered)} samples/s (it stored ${fmt(first.bridge)} samples/s)`);
  }
  const highest = result.steps.at(-1)!;
  const beyond = highest === best ? "" : `; at ${fmt(highest.offered)} samples/s offered it stored ${fmt(highest.bridge)}`;
  const where = `${BOARDS} boards into ${engine === "duckdb" ? "DuckDB" : "PostgreSQL"}, committed before acknowledged, highest offered load sustained: ${fmt(best.offered)} samples/s${beyond}`;
  const figures: Figure[] = [compared(`host.ingest_samples_per_s${suffix}`, best.bridge, best.counter, "samples/s", where)];
  if (engine === "duckdb") {
    figures.push(compared("host.ingest_ratio_vs_broker", best.bridge, best.counter, "samples/s", `bridge into DuckDB vs a subscriber that only counts bytes, same broker and stream, at ${fmt(best.offered)} samples/s offered`));
  }
  return figures;
}

const HISTORY_POINTS = 6_048_000;
const HISTORY_PERIOD_us = 100_000;
const HISTORY_FRAME = 10_000;

/**
 * `host.history_ms_6M`: min/max in 1000 buckets over a week of one 10 Hz channel (6 M points) in
 * DuckDB, the query the dashboard makes for a long range; the points go in through writeFrame.
 */
async function historyFigures(dir: string, progress: (line: string) => void): Promise<Figure[]> {
  const store = new DuckDbStore({ path: join(dir, "history.duckdb") });
  await store.open();
  try {
    const birth = birthOf("week");
    await store.writeBirth("bench", "week", birth);
    const started_ms = performance.now();
    for (let seq = 0; seq * HISTORY_FRAME < HISTORY_POINTS; seq++) {
      const t_us = Float64Array.from({ length: HISTORY_FRAME }, (_, k) => T0_us + (seq * HISTORY_FRAME + k) * HISTORY_PERIOD_us);
      const value = Float64Array.from(t_us, (t) => Math.sin(t / 3.6e9));
      await store.writeFrame("bench", "week", { b: 1, c: [], p: HISTORY_PERIOD_us, s: seq, t: t_us[0]!, v: 1 }, [{ channel: "ch0", t_us, raw: value, value }]);
    }
    await store.flush();
    const write_s = (performance.now() - started_ms) / 1000;
    progress(`host: ${HISTORY_POINTS} points written into DuckDB in ${write_s.toFixed(2)} s`);
    const query = { board: "week", channel: "ch0", from_us: T0_us, to_us: T0_us + HISTORY_POINTS * HISTORY_PERIOD_us, buckets: 1000 };
    await store.history(query);
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t_ms = performance.now();
      const history = await store.history(query);
      runs.push(performance.now() - t_ms);
      if (history.count.reduce((a, b) => a + b, 0) !== HISTORY_POINTS) throw new Error(`history benchmark: buckets hold ${history.count.reduce((a, b) => a + b, 0)} points, not ${HISTORY_POINTS}`);
    }
    runs.sort((a, b) => a - b);
    return [
      { name: "host.history_ms_6M", value: runs[2]!, unit: "ms", note: "min/max in 1000 buckets over a week of one 10 Hz channel, DuckDB, median of 5" },
      { name: "host.store_samples_per_s", value: HISTORY_POINTS / write_s, unit: "samples/s", note: "DuckDB writeFrame and commit alone, 10 000-sample frames, no broker" },
    ];
  } finally {
    await store.close();
  }
}

/**
 * `host.ingest_samples_per_s`: the highest rate the bridge stores into DuckDB (committed, then
 * acknowledged) while 64 boards × 4 channels publish 250-sample delta-coded blocks live through a
 * local Mosquitto, at offered loads stepped up until the bridge's backlog grows. Baseline, in the
 * same run from the same broker: a subscriber that only counts bytes (`host.ingest_ratio_vs_broker`
 * at the highest sustained load). `host.ingest_samples_per_s.postgres`: the same into PostgreSQL.
 */
export const hostBenchmark: Benchmark = {
  name: "host",
  async run(progress) {
    const missing = mosquittoMissing();
    if (missing !== undefined) throw new Error(`host benchmark needs Mosquitto: ${missing}`);
    const broker = await startMosquitto();
    const dir = mkdtempSync(join(tmpdir(), "cellrig-bench-"));
    const figures: Figure[] = [];
    const started: StreamProcess[] = [];
    try {
      const boards = await StreamProcess.start("boards", broker.url);
      started.push(boards);
      const counter = await StreamProcess.start("counter", broker.url);
      started.push(counter);
      const stream: Stream = { brokerUrl: broker.url, boards, counter };
      progress(`host: ${BOARDS} boards × ${CHANNELS} channels, ${SAMPLES_PER_FRAME} samples per frame, QoS 1, live at stepped offered loads`);
      figures.push(...ingestFigures("duckdb", await climb(stream, new DuckDbStore({ path: join(dir, "bench.duckdb") }), "duckdb", DUCKDB_LADDER, progress)));
      figures.push(...(await historyFigures(dir, progress)));

      if (postgresMissing() === undefined) {
        const database = await startPostgres();
        try {
          figures.push(...ingestFigures("postgres", await climb(stream, new PostgresStore({ url: database.url }), "postgres", POSTGRES_LADDER, progress)));
        } finally {
          await database.stop();
        }
      } else {
        progress(`host: no PostgreSQL figure: ${postgresMissing()}`);
      }
    } finally {
      for (const child of started) await child.stop();
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};
