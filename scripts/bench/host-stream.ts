import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Encoder } from "cbor-x";
import mqtt, { type MqttClient } from "mqtt";
import type { Birth } from "../../protocol/schema/birth.ts";
import { deltaEncode } from "../fixtures/messages.ts";

/**
 * The live stream of the host benchmark, run outside the benchmark's own process so that neither
 * the boards nor the baseline share the bridge's event loop (they still share the machine's cores,
 * as boards' broker and lab PC would not, which makes the figures conservative):
 * - `boards`: BOARDS simulated boards, one MQTT 3.1.1 connection each as on the real rig, publish
 *   QoS 1 data frames paced at an offered rate;
 * - `counter`: the baseline, a QoS 1 subscriber to the same frames that only counts them and their
 *   bytes (acknowledging each on receipt).
 */

export const BOARDS = 64;
export const CHANNELS = 4;
export const SAMPLES_PER_BLOCK = 250;
export const SAMPLES_PER_FRAME = CHANNELS * SAMPLES_PER_BLOCK;
export const TICK_us = 1000;
export const T0_us = 1_760_000_000_000_000;
export const RIG = "bench";
export const DATA_TOPICS = `cellrig/v1/${RIG}/+/data`;

const encoder = new Encoder({ useRecords: false, tagUint8Array: false });
/** Different blocks a board cycles through, so frames differ without encoding samples while timed. */
const BLOCK_VARIANTS = 8;
/** The pacer publishes what is due this often. */
const PACE_ms = 5;

export function boardName(b: number): string {
  return `b${b}`;
}

export function birthOf(board: string): Birth {
  const channels = Array.from({ length: CHANNELS }, (_, c) => ({
    id: `ch${c}`,
    quantity: "voltage",
    unit: "V",
    sensor: "ads1115",
    rate_hz: 1000,
    every: 1,
    cal: { kind: "linear" as const, gain: 0.000125, offset: 0 },
  }));
  return { board, boot: 1, channels, clock: { source: "ntp", offset_us: 0 }, fw: { version: "bench", build: "bench" }, profile: "linux", rig: RIG, seq: 0, t: T0_us, tick_us: TICK_us, v: 1 };
}

/** Zigzag LEB128 deltas of a slow 16-bit-ish waveform, as the boards send ADC codes. */
export function deltaBlock(seed: number): Uint8Array {
  return deltaEncode(Array.from({ length: SAMPLES_PER_BLOCK }, (_, k) => Math.round(12000 + 8000 * Math.sin((seed + k) / 40))));
}

/** Messages from the parent. */
export type StreamRequest = { type: "offer"; samples_per_s: number; seconds: number } | { type: "count" };
/** Messages to the parent. */
export type StreamReport =
  | { type: "ready" }
  | { type: "offered"; frames: number; seconds: number }
  | { type: "count"; frames: number; bytes: number }
  | { type: "error"; message: string };

/** One role of the stream in a child process, talked to over IPC. */
export class StreamProcess {
  private readonly child: ChildProcess;
  private readonly waiting: ((report: StreamReport) => void)[] = [];
  private failure: string | undefined;

  private constructor(child: ChildProcess) {
    this.child = child;
    child.on("message", (report: StreamReport) => {
      if (report.type === "error") this.failure = report.message;
      this.waiting.shift()?.(report);
    });
    child.on("exit", (code, signal) => {
      this.failure ??= `the benchmark's ${child.spawnargs.at(-2)} process exited (${code ?? signal})`;
      for (const resolve of this.waiting.splice(0)) resolve({ type: "error", message: this.failure });
    });
  }

  static async start(role: "boards" | "counter", brokerUrl: string): Promise<StreamProcess> {
    // tsx as this project has it, whatever the working directory.
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const child = fork(fileURLToPath(import.meta.url), [role, brokerUrl], { execArgv: ["--import", tsx], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const stream = new StreamProcess(child);
    await stream.next();
    return stream;
  }

  /** Publishes at `samples_per_s` for `seconds`; resolves once the broker acknowledged every frame. */
  async offer(samples_per_s: number, seconds: number): Promise<{ frames: number; seconds: number }> {
    this.child.send({ type: "offer", samples_per_s, seconds } satisfies StreamRequest);
    const report = await this.next();
    if (report.type !== "offered") throw new Error(`boards: expected a report of frames offered, got ${JSON.stringify(report)}`);
    return report;
  }

  /** Frames and bytes the counting subscriber received so far. */
  async count(): Promise<{ frames: number; bytes: number }> {
    this.child.send({ type: "count" } satisfies StreamRequest);
    const report = await this.next();
    if (report.type !== "count") throw new Error(`counter: expected a count, got ${JSON.stringify(report)}`);
    return report;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill("SIGTERM");
    });
  }

  private next(): Promise<StreamReport> {
    if (this.failure !== undefined) return Promise.reject(new Error(this.failure));
    return new Promise<StreamReport>((resolve, reject) => {
      this.waiting.push((report) => (report.type === "error" ? reject(new Error(report.message)) : resolve(report)));
    });
  }
}

/** The boards: births retained first, then data frames, each board with its own sequence. */
async function runBoards(url: string, send: (report: StreamReport) => void): Promise<void> {
  const clients: MqttClient[] = await Promise.all(
    Array.from({ length: BOARDS }, (_, b) => mqtt.connectAsync(url, { clientId: `bench-board-${b}-${process.pid}`, protocolVersion: 4, reconnectPeriod: 0 })),
  );
  await Promise.all(clients.map((client, b) => client.publishAsync(`cellrig/v1/${RIG}/${boardName(b)}/birth`, Buffer.from(encoder.encode(birthOf(boardName(b)))), { qos: 1, retain: true })));
  const blocks = Array.from({ length: BOARDS }, (_, b) => Array.from({ length: BLOCK_VARIANTS }, (_, v) => Array.from({ length: CHANNELS }, (_, ch) => deltaBlock(v * SAMPLES_PER_BLOCK + ch * 97 + b))));
  const seqs = new Array<number>(BOARDS).fill(0);
  let next = 0;
  const publishOne = (): Promise<unknown> => {
    const b = next;
    next = (next + 1) % BOARDS;
    const seq = seqs[b]!++;
    const frame = { b: 1, c: blocks[b]![seq % BLOCK_VARIANTS]!, p: TICK_us, s: seq, t: T0_us + seq * SAMPLES_PER_BLOCK * TICK_us, v: 1 };
    return clients[b]!.publishAsync(`cellrig/v1/${RIG}/${boardName(b)}/data`, Buffer.from(encoder.encode(frame)), { qos: 1 });
  };
  send({ type: "ready" });
  process.on("message", async (request: StreamRequest) => {
    if (request.type !== "offer") return;
    try {
      const frames = Math.round((request.samples_per_s * request.seconds) / SAMPLES_PER_FRAME);
      const frames_per_ms = request.samples_per_s / SAMPLES_PER_FRAME / 1000;
      const acked: Promise<unknown>[] = [];
      const started_ms = performance.now();
      while (acked.length < frames) {
        const due = Math.min(frames, Math.floor((performance.now() - started_ms) * frames_per_ms) + 1);
        while (acked.length < due) acked.push(publishOne());
        await new Promise((resolve) => setTimeout(resolve, PACE_ms));
      }
      const last_ms = performance.now();
      await Promise.all(acked);
      send({ type: "offered", frames, seconds: (last_ms - started_ms) / 1000 });
    } catch (err) {
      send({ type: "error", message: `boards: ${err instanceof Error ? err.message : String(err)}` });
    }
  });
}

/** The baseline subscriber: counts data frames and their bytes, nothing else. */
async function runCounter(url: string, send: (report: StreamReport) => void): Promise<void> {
  let frames = 0;
  let bytes = 0;
  const client = await mqtt.connectAsync(url, { clientId: `bench-counter-${process.pid}`, protocolVersion: 5, properties: { receiveMaximum: 1000 } });
  client.on("message", (_topic, payload) => {
    frames++;
    bytes += payload.length;
  });
  await client.subscribeAsync(DATA_TOPICS, { qos: 1 });
  send({ type: "ready" });
  process.on("message", (request: StreamRequest) => {
    if (request.type === "count") send({ type: "count", frames, bytes });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [role, url] = process.argv.slice(2);
  const send = (report: StreamReport) => process.send!(report);
  const run = role === "boards" ? runBoards : role === "counter" ? runCounter : undefined;
  if (run === undefined || url === undefined) {
    console.error("usage: host-stream.ts boards|counter <broker url> (started by the host benchmark)");
    process.exit(2);
  }
  process.on("SIGTERM", () => process.exit(0));
  run(url, send).catch((err: unknown) => {
    send({ type: "error", message: `${role}: ${err instanceof Error ? err.message : String(err)}` });
    process.exit(1);
  });
}
