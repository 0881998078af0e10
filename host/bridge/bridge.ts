import mqtt, { type MqttClient } from "mqtt";
import { ALL_TOPICS } from "../../protocol/schema/topics.ts";
import type { SampleStore } from "../store/store.ts";
import { BoardRegistry, type BoardState } from "./board-registry.ts";
import type { BridgeEvent, BridgeListener, LiveSamples } from "./events.ts";
import { ingest, type IngestContext, type IngestCounts } from "./ingest.ts";
import { Quarantine, type Rejection } from "./quarantine.ts";
import { SequenceTracker, type SequenceStats } from "./sequence-tracker.ts";

export interface BridgeOptions {
  /** e.g. `mqtt://127.0.0.1:1883`. */
  brokerUrl: string;
  store: SampleStore;
  /** Called with every stored frame's samples. */
  onSample?: (samples: LiveSamples) => void;
  /** How often buffered samples are committed to the store. */
  flushInterval_ms?: number;
  /** How many rejected messages are kept for inspection. */
  quarantineSize?: number;
}

export interface BridgeStats extends IngestCounts {
  rejected: Record<string, number>;
  sequences: SequenceStats[];
  /** Failures outside any one message: live listeners that threw, periodic flushes that failed. */
  faults: { listener: number; flush: number; last?: string };
  /** The broker connection's most recent error, if any. */
  lastConnectionError?: string;
}

export interface Bridge {
  /** Adds a listener for births, deaths and samples; returns the function that removes it. */
  addListener(listener: BridgeListener): () => void;
  boards(): BoardState[];
  stats(): BridgeStats;
  rejections(): Rejection[];
  /** Resolves once every message received so far has been handled. */
  idle(): Promise<void>;
  /** Unsubscribes, finishes the messages in hand and flushes the store; the store stays open. */
  stop(): Promise<void>;
}

/** Subscribes to every cellrig v1 topic and stores what arrives; see ingest.ts for what happens per message. */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const listeners = new Set<BridgeListener>();
  const counts: IngestCounts = { received: 0, framesStored: 0, samplesStored: 0, ignored: {} };
  const quarantine = new Quarantine(options.quarantineSize);
  const faults: BridgeStats["faults"] = { listener: 0, flush: 0 };
  const ctx: IngestContext = {
    store: options.store,
    boards: new BoardRegistry(),
    sequences: new SequenceTracker(),
    quarantine,
    counts,
    emit: (event: BridgeEvent) => {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (err) {
          // A faulty listener must not stop ingestion.
          faults.listener++;
          faults.last = `a live listener threw: ${errorText(err)}`;
        }
      }
    },
  };
  const onSample = options.onSample;
  if (onSample !== undefined) listeners.add((event) => event.type === "samples" && onSample(event));

  let lastConnectionError: string | undefined;
  let client: MqttClient;
  try {
    client = await mqtt.connectAsync(options.brokerUrl, { reconnectPeriod: 1000, connectTimeout: 10_000 }, false);
  } catch (err) {
    throw new Error(`bridge could not connect to the MQTT broker at ${options.brokerUrl}: ${errorText(err)} (is the broker running?)`);
  }
  client.on("error", (err) => {
    lastConnectionError = err.message;
  });

  // Messages are handled one at a time in arrival order: a board's birth must be in place before its data.
  let tail: Promise<void> = Promise.resolve();
  client.on("message", (topic, payload) => {
    tail = tail.then(() => ingest(ctx, topic, payload));
  });
  const granted = await client.subscribeAsync(ALL_TOPICS, { qos: 1 });
  if (granted.some((g) => g.qos === 128)) {
    await client.endAsync(true);
    throw new Error(`the MQTT broker at ${options.brokerUrl} refused the subscription to ${ALL_TOPICS} (check its access rules)`);
  }

  const flushTimer = setInterval(() => {
    tail = tail.then(() =>
      options.store.flush().catch((err: unknown) => {
        faults.flush++;
        faults.last = `committing buffered samples failed: ${errorText(err)}`;
      }),
    );
  }, options.flushInterval_ms ?? 250);
  flushTimer.unref();

  const idle = async () => {
    let seen: Promise<void>;
    do {
      seen = tail;
      await seen;
    } while (seen !== tail);
  };

  return {
    addListener(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    boards: () => ctx.boards.list(),
    stats: () => {
      const stats: BridgeStats = { ...counts, ignored: { ...counts.ignored }, rejected: quarantine.countsByCode(), sequences: ctx.sequences.stats(), faults: { ...faults } };
      if (lastConnectionError !== undefined) stats.lastConnectionError = lastConnectionError;
      return stats;
    },
    rejections: () => quarantine.recent(),
    idle,
    async stop() {
      clearInterval(flushTimer);
      await client.endAsync();
      await idle();
      listeners.clear();
      await options.store.flush();
    },
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
