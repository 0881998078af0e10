import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Encoder } from "cbor-x";
import mqtt from "mqtt";
import { startBridge } from "../../host/bridge/bridge.ts";
import { DuckDbStore } from "../../host/store/duckdb-store.ts";
import { PostgresStore } from "../../host/store/postgres-store.ts";
import type { SampleStore } from "../../host/store/store.ts";
import type { Birth } from "../../protocol/schema/birth.ts";
import { deltaEncode } from "../../test/protocol/decode-fixtures.ts";
import { mosquittoMissing, postgresMissing, startMosquitto, startPostgres } from "../services/local.ts";
import { compared, type Benchmark, type Figure } from "./figure.ts";

const BOARDS = 64;
const CHANNELS = 4;
const SAMPLES_PER_BLOCK = 250;
const FRAMES_PER_BOARD = 50;
const TICK_us = 1000;
const T0_us = 1_760_000_000_000_000;
const RECEIVE_MAXIMUM = 1000;

const encoder = new Encoder({ useRecords: false, tagUint8Array: false });

function birthOf(board: string): Birth {
  const channels = Array.from({ length: CHANNELS }, (_, c) => ({
    id: `ch${c}`,
    quantity: "voltage",
    unit: "V",
    sensor: "ads1115",
    rate_hz: 1000,
    every: 1,
    cal: { kind: "linear" as const, gain: 0.000125, offset: 0 },
  }));
  return { board, boot: 1, channels, clock: { source: "ntp", offset_us: 0 }, fw: { version: "bench", build: "bench" }, profile: "linux", rig: "bench", seq: 0, t: T0_us, tick_us: TICK_us, v: 1 };
}

/** Zigzag LEB128 deltas of a slow 16-bit-ish waveform, as the boards send ADC codes. */
function deltaBlock(seed: number): Uint8Array {
  return deltaEncode(Array.from({ length: SAMPLES_PER_BLOCK }, (_, k) => Math.round(12000 + 8000 * Math.sin((seed + k) / 40))));
}

interface Message {
  topic: string;
  payload: Buffer;
}

/** The whole run's messages, encoded before anything is timed: births, then frames board by board interleaved. */
function workload(): { births: Message[]; frames: Message[]; samples: number; bytes: number } {
  const births: Message[] = [];
  const frames: Message[] = [];
  let bytes = 0;
  for (let b = 0; b < BOARDS; b++) births.push({ topic: `cellrig/v1/bench/b${b}/birth`, payload: Buffer.from(encoder.encode(birthOf(`b${b}`))) });
  for (let seq = 0; seq < FRAMES_PER_BOARD; seq++) {
    for (let b = 0; b < BOARDS; b++) {
      const c = Array.from({ length: CHANNELS }, (_, ch) => deltaBlock(seq * SAMPLES_PER_BLOCK + ch * 97 + b));
      const payload = Buffer.from(encoder.encode({ b: 1, c, p: TICK_us, s: seq, t: T0_us + seq * SAMPLES_PER_BLOCK * TICK_us, v: 1 }));
      bytes += payload.length;
      frames.push({ topic: `cellrig/v1/bench/b${b}/data`, payload });
    }
  }
  return { births, frames, samples: frames.length * CHANNELS * SAMPLES_PER_BLOCK, bytes };
}

/** Publishes at QoS 1 with a bounded window, so the broker holds everything before the clock starts. */
async function publishAll(url: string, messages: Message[], retain: boolean): Promise<void> {
  const client = await mqtt.connectAsync(url, { clientId: `bench-boards-${process.pid}`, protocolVersion: 5 });
  const window = 256;
  for (let i = 0; i < messages.length; i += window) {
    await Promise.all(messages.slice(i, i + window).map((m) => client.publishAsync(m.topic, m.payload, { qos: 1, retain })));
  }
  await client.endAsync();
}

/** Creates a persistent session for `clientId` subscribed to the data, so the broker queues for it while it is away. */
async function prepareSession(url: string, clientId: string): Promise<void> {
  const client = await mqtt.connectAsync(url, { clientId, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 3600 } });
  await client.subscribeAsync("cellrig/v1/+/+/+", { qos: 1 });
  await client.endAsync();
}

/** Baseline: the queued stream drained by a subscriber that only counts bytes (and acknowledges at once). */
async function drainCounting(url: string, clientId: string, expectedFrames: number): Promise<number> {
  let messages = 0;
  let bytes = 0;
  const started_ms = performance.now();
  const client = mqtt.connect(url, { clientId, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 3600, receiveMaximum: RECEIVE_MAXIMUM } });
  await new Promise<void>((resolve) => {
    client.on("message", (topic, payload) => {
      bytes += payload.length;
      if (topic.endsWith("/data") && ++messages === expectedFrames) resolve();
    });
  });
  const wall_s = (performance.now() - started_ms) / 1000;
  await client.endAsync();
  if (bytes === 0) throw new Error("the counting subscriber received nothing");
  return wall_s;
}

/**
 * Runs the bridge once to create its session and store the births, as a bridge that has been
 * running does, and stops it; the broker then queues the frames for it.
 */
async function prepareBridge(url: string, clientId: string, store: SampleStore): Promise<void> {
  await store.open();
  const bridge = await startBridge({ brokerUrl: url, store, clientId, receiveMaximum: RECEIVE_MAXIMUM });
  while (bridge.boards().length < BOARDS) {
    const [rejection] = bridge.rejections();
    if (rejection !== undefined) throw new Error(`bridge benchmark: a birth was rejected: ${rejection.message}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await bridge.stop();
}

/** The bridge drains the queued stream into `store`; done when every frame is committed and acknowledged. */
async function drainBridge(url: string, clientId: string, store: SampleStore, expectedFrames: number): Promise<number> {
  const started_ms = performance.now();
  const bridge = await startBridge({ brokerUrl: url, store, clientId, receiveMaximum: RECEIVE_MAXIMUM });
  while (bridge.stats().framesStored < expectedFrames) {
    const { faults } = bridge.stats();
    const [rejection] = bridge.rejections();
    if (rejection !== undefined) throw new Error(`bridge benchmark: a frame was rejected: ${rejection.message}`);
    if (faults.flush > 0) throw new Error(`bridge benchmark: ${faults.last}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await bridge.idle();
  const wall_s = (performance.now() - started_ms) / 1000;
  await bridge.stop();
  await store.close();
  return wall_s;
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
 * `host.ingest_samples_per_s`: samples per second from Mosquitto into durable DuckDB storage
 * (committed, then acknowledged), 64 boards × 4 channels × 250-sample delta-coded blocks, the
 * stream queued in the broker first so the publisher does not share the CPU. Baseline: the same
 * queued stream drained by a subscriber that only counts bytes, in the same run
 * (`host.ingest_ratio_vs_broker`). `host.ingest_samples_per_s.postgres`: the same into PostgreSQL.
 */
export const hostBenchmark: Benchmark = {
  name: "host",
  async run(progress) {
    const missing = mosquittoMissing();
    if (missing !== undefined) throw new Error(`host benchmark needs Mosquitto: ${missing}`);
    const broker = await startMosquitto();
    const dir = mkdtempSync(join(tmpdir(), "cellrig-bench-"));
    const figures: Figure[] = [];
    try {
      const { births, frames, samples, bytes } = workload();
      progress(`host: ${frames.length} frames (${(bytes / 1e6).toFixed(1)} MB), ${samples} samples from ${BOARDS} boards`);
      await publishAll(broker.url, births, true);

      const drain = async (prepare: () => Promise<void>, run: () => Promise<number>) => {
        await prepare();
        await publishAll(broker.url, frames, false);
        return run();
      };
      const baseline_s = await drain(
        () => prepareSession(broker.url, "bench-count"),
        () => drainCounting(broker.url, "bench-count", frames.length),
      );
      const baseline = samples / baseline_s;
      progress(`host: counting subscriber drained it in ${baseline_s.toFixed(2)} s`);
      const duckdb = new DuckDbStore({ path: join(dir, "bench.duckdb") });
      const duck_s = await drain(
        () => prepareBridge(broker.url, "bench-duckdb", duckdb),
        () => drainBridge(broker.url, "bench-duckdb", duckdb, frames.length),
      );
      progress(`host: bridge into DuckDB in ${duck_s.toFixed(2)} s`);
      const duck = samples / duck_s;
      figures.push({ name: "host.ingest_samples_per_s", value: duck, unit: "samples/s", note: `${BOARDS} boards into DuckDB, committed before acknowledged` });
      figures.push(compared("host.ingest_ratio_vs_broker", duck, baseline, "samples/s", "bridge into DuckDB vs a subscriber that only counts bytes"));
      figures.push(...(await historyFigures(dir, progress)));

      if (postgresMissing() === undefined) {
        const database = await startPostgres();
        try {
          const postgres = new PostgresStore({ url: database.url });
          const pg_s = await drain(
            () => prepareBridge(broker.url, "bench-postgres", postgres),
            () => drainBridge(broker.url, "bench-postgres", postgres, frames.length),
          );
          progress(`host: bridge into PostgreSQL in ${pg_s.toFixed(2)} s`);
          figures.push(compared("host.ingest_samples_per_s.postgres", samples / pg_s, baseline, "samples/s", `${BOARDS} boards into PostgreSQL, committed before acknowledged`));
        } finally {
          await database.stop();
        }
      } else {
        progress(`host: no PostgreSQL figure: ${postgresMissing()}`);
      }
    } finally {
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};
