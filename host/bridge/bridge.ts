import mqtt from "mqtt";
import { ALL_TOPICS } from "../../protocol/schema/topics.ts";
import { TOPIC_PREFIX } from "../../protocol/wire/topics.ts";
import { alarmKey, type SampleStore } from "../store/store.ts";
import type { AlarmRecord, BridgeControl } from "./api-types.ts";
import { BoardRegistry, type BoardState } from "./board-registry.ts";
import type { ClockFitOptions } from "./clock-fit.ts";
import { loginOptions, type BrokerLogin } from "../broker/login.ts";
import type { CommandKeys } from "./command-keys.ts";
import { CommandSender } from "./command-sender.ts";
import { ACK_DEFERRED, DeferredAcks, type HeldAck } from "./deferred-ack.ts";
import type { BridgeEvent, BridgeListener, LiveSamples } from "./events.ts";
import { ingest, resolveStoredPending, type IngestContext, type IngestCounts } from "./ingest.ts";
import { PendingBoots } from "./pending-frames.ts";
import { Quarantine, type Rejection } from "./quarantine.ts";
import { ReorderWindow, type RecoveryRequest, type ReorderWindowOptions } from "./reorder-window.ts";
import { SequenceTracker, type SequenceStats } from "./sequence-tracker.ts";

export interface BridgeOptions {
  /** e.g. `mqtt://127.0.0.1:1883`. */
  brokerUrl: string;
  store: SampleStore;
  /**
   * The broker keeps this client's session (subscriptions and unacknowledged messages) while the
   * bridge is down, so it must stay the same across restarts. Default `cellrig-bridge`.
   */
  clientId?: string;
  /**
   * Bridges with the same group split data, alarm and gap messages through an MQTT 5 shared
   * subscription (`$share/<group>/...`); births, deaths, health and acks reach every bridge.
   */
  group?: string;
  /** 5 (default) or 4 for MQTT 3.1.1 brokers such as the embedded one; groups need 5. */
  mqttVersion?: 4 | 5;
  /** How long the broker keeps the session of a stopped bridge, MQTT 5 only. Default one week. */
  sessionExpiry_s?: number;
  /** Unacknowledged messages the broker may send ahead, MQTT 5 only; bounds a commit batch. */
  receiveMaximum?: number;
  /** Called with every stored frame's samples. */
  onSample?: (samples: LiveSamples) => void;
  /** Longest a received message waits for its commit (and so for its acknowledgement). */
  flushInterval_ms?: number;
  /** Messages that trigger a commit without waiting for the interval. */
  commitAfterMessages?: number;
  /** How many rejected messages are kept for inspection. */
  quarantineSize?: number;
  /** How long a sequence gap may still fill by itself before frames are requested again. */
  reorder?: ReorderWindowOptions;
  /** Clock fit window and jump threshold (see clock-fit.ts). */
  clock?: ClockFitOptions;
  /** Longest wait for a board's ack of a recovery request (resend_from, rebirth). */
  recoveryTimeout_ms?: number;
  /** The host's broker account and, for mqtts://, the broker's CA. */
  login?: BrokerLogin;
  /** Command keys: commands to a board with a key are signed for its current boot. */
  commandKeys?: CommandKeys;
  /** Told of each failure counted in `faults`, as a sentence for the operator's log. */
  onFault?: (message: string) => void;
}

export interface BridgeStats extends IngestCounts {
  rejected: Record<string, number>;
  sequences: SequenceStats[];
  /** Commits to the store and the acknowledgements sent after them. */
  commits: number;
  acked: number;
  /** Failures outside any one message: live listeners that threw, commits that failed, recovery requests unanswered or refused. */
  faults: { listener: number; flush: number; recovery: number; last?: string };
  /** Resend and rebirth requests sent. */
  recoveryRequests: number;
  /** The broker connection's most recent error, if any. */
  lastConnectionError?: string;
}

export interface Bridge extends BridgeControl {
  /** Adds a listener for births, deaths, samples, health, alarms, acks and registry changes; returns the function that removes it. */
  addListener(listener: BridgeListener): () => void;
  boards(): BoardState[];
  stats(): BridgeStats;
  rejections(): Rejection[];
  /** Resolves once every message received so far has been handled and committed. */
  idle(): Promise<void>;
  /** Unsubscribes, finishes and commits the messages in hand; the store stays open. */
  stop(): Promise<void>;
}

const DEFAULT_SESSION_EXPIRY_s = 7 * 86400;
const DEFAULT_RECEIVE_MAXIMUM = 1000;
/** A board whose frames cannot be read is asked for its birth at most this often. */
const REBIRTH_INTERVAL_ms = 10_000;
const RECOVERY_CHECK_ms = 250;

/** The topics one bridge subscribes to; with a group, the stream of frames is shared. */
export function bridgeSubscriptions(group?: string): string[] {
  if (group === undefined) return [ALL_TOPICS];
  const shared = ["data", "alarm", "gap"].map((kind) => `$share/${group}/${TOPIC_PREFIX}/+/+/${kind}`);
  const everyBridge = ["birth", "death", "health", "ack"].map((kind) => `${TOPIC_PREFIX}/+/+/${kind}`);
  return [...shared, ...everyBridge];
}

/**
 * Subscribes to the cellrig v1 topics and stores what arrives (see ingest.ts for one message).
 * A QoS 1 message is acknowledged to the broker only after the commit that holds its rows, and the
 * session persists across restarts, so a bridge killed at any moment loses nothing: the broker
 * redelivers what was not acknowledged and the store keeps one copy.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const listeners = new Set<BridgeListener>();
  const counts: IngestCounts = { received: 0, framesStored: 0, samplesStored: 0, framesHeld: 0, framesResolved: 0, ignored: {} };
  const quarantine = new Quarantine(options.quarantineSize);
  const faults: BridgeStats["faults"] = { listener: 0, flush: 0, recovery: 0 };
  const fault = (kind: "listener" | "flush" | "recovery", message: string) => {
    faults[kind]++;
    faults.last = message;
    options.onFault?.(message);
  };
  const sequences = new SequenceTracker();
  let recoveryRequests = 0;
  // Set once the MQTT client exists; commands are only sent after the bridge connected.
  let commands: CommandSender | undefined;
  const lastRebirth_ms = new Map<string, number>();
  const recover = (rig: string, request: RecoveryRequest) => {
    if (commands === undefined) return;
    recoveryRequests++;
    ctx.boards.recoveryRequested(request.board);
    const command = request.kind === "resend" ? ({ op: "resend_from", b: request.boot, seq: request.from } as const) : ({ op: "rebirth" } as const);
    commands.send(rig, request.board, command, options.recoveryTimeout_ms ?? 10_000).then(
      (ack) => {
        if (!ack.ok) fault("recovery", `board "${request.board}" refused ${command.op}: ${ack.code} ${ack.message}`);
      },
      (err: unknown) => fault("recovery", errorText(err)),
    );
  };
  const ctx: IngestContext = {
    store: options.store,
    boards: new BoardRegistry(sequences, options.clock),
    sequences,
    quarantine,
    counts,
    reorder: new ReorderWindow(options.reorder),
    pending: new PendingBoots(),
    requestRebirth: (rig, board) => {
      const now = Date.now();
      if (now - (lastRebirth_ms.get(board) ?? -Infinity) < REBIRTH_INTERVAL_ms) return;
      lastRebirth_ms.set(board, now);
      recover(rig, { kind: "rebirth", board, boot: 0 });
    },
    listening: () => listeners.size > 0,
    emit: (event: BridgeEvent) => {
      if (event.type === "ack") commands?.onAck(event.board, event.ack);
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (err) {
          // A faulty listener must not stop ingestion.
          fault("listener", `a live listener threw: ${errorText(err)}`);
        }
      }
    },
  };
  const onSample = options.onSample;
  if (onSample !== undefined) listeners.add((event) => event.type === "samples" && onSample(event));
  for (const { rig, birth } of await options.store.births()) ctx.boards.restore(rig, birth.board, birth);
  await resolveStoredPending(ctx);

  const mqttVersion = options.mqttVersion ?? 5;
  if (options.group !== undefined && mqttVersion !== 5) {
    throw new Error(`bridge group "${options.group}" needs MQTT 5 shared subscriptions; drop the group or use MQTT 5`);
  }
  let lastConnectionError: string | undefined;
  const client = mqtt.connect(options.brokerUrl, {
    clientId: options.clientId ?? "cellrig-bridge",
    clean: false,
    protocolVersion: mqttVersion,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    manualConnect: true,
    ...loginOptions(options.login),
    ...(mqttVersion === 5
      ? { properties: { sessionExpiryInterval: options.sessionExpiry_s ?? DEFAULT_SESSION_EXPIRY_s, receiveMaximum: options.receiveMaximum ?? DEFAULT_RECEIVE_MAXIMUM } }
      : {}),
  });
  const acks = new DeferredAcks(client);
  const keys = options.commandKeys;
  commands = new CommandSender(async (topic, payload) => {
    await client.publishAsync(topic, Buffer.from(payload), { qos: 1, ...(mqttVersion === 5 ? { properties: { contentType: "application/cbor" } } : {}) });
  }, keys === undefined ? undefined : (rig, board) => {
    const key = keys.get(rig, board);
    return key === undefined ? undefined : { key, boot: ctx.boards.get(board)?.birth.boot };
  });
  let held: (HeldAck | undefined)[] = [];
  let commits = 0;
  let acked = 0;

  // Messages are handled one at a time in arrival order: a board's birth must be in place before its data.
  let tail: Promise<void> = Promise.resolve();
  // Commits in the order they were asked for; the messages after a commit are handled while it runs.
  let committed: Promise<void> = Promise.resolve();
  const commitAfter = options.commitAfterMessages ?? Math.max(1, Math.floor((options.receiveMaximum ?? DEFAULT_RECEIVE_MAXIMUM) / 2));
  let sinceCommit = 0;
  const commit = () => {
    sinceCommit = 0;
    tail = tail.then(() => {
      if (held.length === 0) return;
      const batch = held;
      held = [];
      // flush() covers at least the writes made before it is called, so all of this batch.
      const durable = options.store.flush();
      committed = committed.then(() =>
        durable.then(
          () => {
            commits++;
            acked += acks.release(batch);
          },
          (err: unknown) => {
            fault("flush", `committing buffered samples failed: ${errorText(err)}; the broker will redeliver them`);
            acks.redeliver();
          },
        ),
      );
    });
  };
  let stopping = false;
  client.handleMessage = (packet, callback) => {
    // Left unacknowledged once stopping: the broker keeps it for the next start.
    if (stopping) return callback(packet.qos === 0 ? undefined : ACK_DEFERRED);
    const ack = acks.hold(packet);
    const topic = packet.topic;
    const payload = packet.payload as Uint8Array;
    tail = tail.then(async () => {
      await ingest(ctx, topic, payload);
      held.push(ack);
    });
    if (++sinceCommit >= commitAfter) commit();
    callback(ack === undefined ? undefined : ACK_DEFERRED);
  };
  client.on("error", (err) => {
    lastConnectionError = err.message;
  });

  try {
    await new Promise<void>((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("error", reject);
      client.connect();
    });
  } catch (err) {
    await client.endAsync(true);
    throw new Error(`bridge could not connect to the MQTT broker at ${options.brokerUrl}: ${errorText(err)} (is the broker running?)`);
  }
  const topics = bridgeSubscriptions(options.group);
  const granted = await client.subscribeAsync(topics, { qos: 1 });
  if (granted.some((g) => g.qos > 2)) {
    await client.endAsync(true);
    throw new Error(`the MQTT broker at ${options.brokerUrl} refused the subscription to ${topics.join(", ")} (check its access rules)`);
  }

  const flushTimer = setInterval(commit, options.flushInterval_ms ?? 50);
  flushTimer.unref();
  // Gaps are judged in the message order, after the messages in hand are handled.
  const recoveryTimer = setInterval(() => {
    tail = tail.then(() => {
      ctx.reorder!.flush(Date.now(), {
        send: (request) => {
          const rig = ctx.boards.get(request.board)?.rig;
          if (rig !== undefined) recover(rig, request);
        },
      });
    });
  }, RECOVERY_CHECK_ms);
  recoveryTimer.unref();

  const idle = async () => {
    let seen: Promise<void>;
    do {
      commit();
      seen = tail;
      await seen;
      await committed;
    } while (seen !== tail);
  };

  return {
    addListener(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    boards: () => ctx.boards.list(),
    stats: () => {
      const stats: BridgeStats = {
        ...counts,
        ignored: { ...counts.ignored },
        rejected: quarantine.countsByCode(),
        sequences: ctx.sequences.stats(),
        commits,
        acked,
        faults: { ...faults },
        recoveryRequests,
      };
      if (lastConnectionError !== undefined) stats.lastConnectionError = lastConnectionError;
      return stats;
    },
    rejections: () => quarantine.recent(),
    registry: () => ctx.boards.statuses(),
    sendCommand: (rig, board, command, timeout_ms = 10_000) => commands!.send(rig, board, command, timeout_ms),
    async acknowledgeAlarm(board, key, user): Promise<AlarmRecord> {
      const at_ms = Date.now();
      const active = ctx.boards.get(board)?.alarms.get(key);
      const record = active !== undefined
        ? (await options.store.alarms({ board, limit: 10_000 })).find((a) => a.boot === active.boot && a.n === active.n)
        : (await options.store.alarms({ board, limit: 10_000 })).find((a) => a.key === key && a.state === "raised");
      if (record === undefined) throw new Error(`board "${board}" has no raised alarm "${key}" to acknowledge (keys are <channel>/<rule>, e.g. ${alarmKey("p1", "p1_high")})`);
      await options.store.acknowledgeAlarm(board, record.boot, record.n, user, at_ms);
      if (active !== undefined) {
        active.acknowledged_by = user;
        active.acknowledged_ms = at_ms;
      }
      const status = ctx.boards.status(board);
      if (status !== undefined) ctx.emit({ type: "registry", board, status });
      return { ...record, acknowledged_by: user, acknowledged_ms: at_ms };
    },
    idle,
    async stop() {
      clearInterval(flushTimer);
      clearInterval(recoveryTimer);
      commands?.cancelAll("the bridge is stopping");
      // No unsubscribe: the session's subscriptions make the broker queue frames until the next start.
      stopping = true;
      await idle();
      await client.endAsync();
      listeners.clear();
    },
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
