import { decodeSamples } from "../../protocol/decode/block.ts";
import { decodeMessage } from "../../protocol/decode/message.ts";
import { toPhysical } from "../../protocol/decode/physical.ts";
import type { DecodeError } from "../../protocol/decode/result.ts";
import { sampleTimes_us } from "../../protocol/decode/sample-times.ts";
import type { Birth } from "../../protocol/schema/birth.ts";
import type { Data } from "../../protocol/schema/data.ts";
import { parseTopic, type Topic } from "../../protocol/schema/topics.ts";
import { topic as dataTopic } from "../../protocol/wire/topics.ts";
import type { ChannelSamples, SampleStore } from "../store/store.ts";
import type { BoardRegistry } from "./board-registry.ts";
import type { BridgeEvent, LiveChannel } from "./events.ts";
import type { PendingBoots } from "./pending-frames.ts";
import type { Quarantine } from "./quarantine.ts";
import type { ReorderWindow } from "./reorder-window.ts";
import type { SequenceTracker } from "./sequence-tracker.ts";

/** Running totals of what the bridge did with the messages it received. */
export interface IngestCounts {
  received: number;
  framesStored: number;
  samplesStored: number;
  /** Data frames of a boot with no known birth, kept in the store as received (pending-frames.ts). */
  framesHeld: number;
  /** Kept frames read and stored once a birth of their boot arrived. */
  framesResolved: number;
  /** Messages of kinds this bridge does not store (commands, its own or another host's), by kind. */
  ignored: Record<string, number>;
}

/** Everything one message needs: narrow on purpose, so ingestion runs without MQTT in tests. */
export interface IngestContext {
  store: SampleStore;
  boards: BoardRegistry;
  sequences: SequenceTracker;
  quarantine: Quarantine;
  counts: IngestCounts;
  emit: (event: BridgeEvent) => void;
  /** False when nobody listens: live sample events are then not built (they copy every sample). */
  listening?: () => boolean;
  /** Host clock, ms since the Unix epoch (tests set it). */
  now_ms?: () => number;
  /** Holds sequence gaps until they are late enough to request again. */
  reorder?: ReorderWindow;
  /** Asks a board for its birth: its frames name a boot this bridge has no birth for. */
  requestRebirth?: (rig: string, board: string) => void;
  /** Frames kept until a birth of their boot arrives; without it such frames are refused (tests of refusal only). */
  pending?: PendingBoots;
}

/** Handles one MQTT message. Never throws: bad input and failed writes end up in the quarantine. */
export async function ingest(ctx: IngestContext, topicName: string, payload: Uint8Array): Promise<void> {
  ctx.counts.received++;
  const topic = parseTopic(topicName);
  if (!topic.ok) {
    ctx.quarantine.add(topicName, payload, { code: "topic", message: topic.message });
    return;
  }
  if (!isHandledKind(topic.kind)) {
    ctx.counts.ignored[topic.kind] = (ctx.counts.ignored[topic.kind] ?? 0) + 1;
    return;
  }
  // An empty payload on a retained topic is how a retained message is cleared, not a message.
  if (payload.length === 0 && topic.kind !== "data") return;
  const reject = (error: DecodeError) => ctx.quarantine.add(topicName, payload, error);
  try {
    switch (topic.kind) {
      case "birth":
        return await ingestBirth(ctx, topic, payload, reject);
      case "death":
        return ingestDeath(ctx, topic, payload, reject);
      case "data":
        return await ingestData(ctx, topic, payload, reject);
      case "health":
        return ingestHealth(ctx, topic, payload, reject);
      case "alarm":
        return await ingestAlarm(ctx, topic, payload, reject);
      case "ack":
        return ingestAck(ctx, topic, payload, reject);
      case "gap":
        return ingestGap(ctx, topic, payload, reject);
    }
  } catch (err) {
    reject({ code: "store", message: `${topic.kind} from board "${topic.board}" could not be stored: ${err instanceof Error ? err.message : String(err)}` });
  }
}

type Reject = (error: DecodeError) => void;

const HANDLED_KINDS = ["birth", "death", "data", "health", "alarm", "ack", "gap"] as const;
type HandledKind = (typeof HANDLED_KINDS)[number];

function isHandledKind(kind: string): kind is HandledKind {
  return (HANDLED_KINDS as readonly string[]).includes(kind);
}

async function ingestBirth(ctx: IngestContext, topic: Topic, payload: Uint8Array, reject: Reject): Promise<void> {
  const decoded = decodeMessage("birth", payload, { topic });
  if (!decoded.ok) return reject(decoded.error);
  const birth = decoded.message;
  ctx.boards.setBirth(topic.rig, topic.board, birth, nowOf(ctx));
  ctx.sequences.begin(topic.board, birth.boot, birth.seq);
  await ctx.store.writeBirth(topic.rig, topic.board, birth);
  ctx.emit({ type: "birth", rig: topic.rig, board: topic.board, birth });
  emitStatus(ctx, topic.board);
  if (ctx.pending?.waiting(topic.board, birth.boot)) await resolvePending(ctx, topic.rig, topic.board, birth);
}

/**
 * At startup: loads which boots have frames kept, and reads those whose birth is stored already
 * (a crash came between their samples and their removal, or another bridge stored the birth).
 */
export async function resolveStoredPending(ctx: IngestContext): Promise<void> {
  for (const { rig, board, boot } of await ctx.pending!.load(ctx.store)) {
    const stored = await ctx.store.birthOf(board, boot);
    if (stored !== undefined) await resolvePending(ctx, rig, board, stored.birth);
  }
}

/** Stores the frames kept for this boot, read with its birth (pending-frames.ts). */
export async function resolvePending(ctx: IngestContext, rig: string, board: string, birth: Birth): Promise<void> {
  const topicName = dataTopic(rig, board, "data");
  const { resolved } = await ctx.pending!.resolve(ctx.store, board, birth, async (kept) => {
    const decoded = decodeMessage("data", kept.payload, { birth });
    if (!decoded.ok) {
      ctx.quarantine.add(topicName, kept.payload, decoded.error);
      return false;
    }
    const samples = convert(decoded.message, birth);
    await ctx.store.writeFrame(rig, board, decoded.message, samples);
    ctx.counts.samplesStored += samples.reduce((sum, s) => sum + s.value.length, 0);
    return true;
  });
  ctx.counts.framesResolved += resolved;
  ctx.counts.framesStored += resolved;
}

function nowOf(ctx: IngestContext): number {
  return ctx.now_ms?.() ?? Date.now();
}

function emitStatus(ctx: IngestContext, board: string): void {
  if (ctx.listening?.() === false) return;
  const status = ctx.boards.status(board);
  if (status !== undefined) ctx.emit({ type: "registry", board, status });
}

function ingestHealth(ctx: IngestContext, topic: Topic, payload: Uint8Array, reject: Reject): void {
  const decoded = decodeMessage("health", payload);
  if (!decoded.ok) return reject(decoded.error);
  const health = decoded.message;
  const now = nowOf(ctx);
  ctx.boards.seen(topic.board, now);
  const stored = ctx.boards.setHealth(topic.board, health, now);
  if (stored === undefined) return;
  ctx.boards.clockPoint(topic.board, health.b, health.t, now);
  ctx.emit({ type: "health", rig: topic.rig, board: topic.board, health: stored });
  emitStatus(ctx, topic.board);
}

/** Stored whatever its boot (history is history); the active alarms follow the current boot only. */
async function ingestAlarm(ctx: IngestContext, topic: Topic, payload: Uint8Array, reject: Reject): Promise<void> {
  const decoded = decodeMessage("alarm", payload);
  if (!decoded.ok) return reject(decoded.error);
  const alarm = decoded.message;
  const now = nowOf(ctx);
  ctx.boards.seen(topic.board, now);
  await ctx.store.writeAlarm(topic.rig, topic.board, alarm, now);
  const changed = ctx.boards.applyAlarm(topic.board, alarm);
  ctx.emit({
    type: "alarm",
    rig: topic.rig,
    board: topic.board,
    alarm: {
      rig: topic.rig,
      board: topic.board,
      boot: alarm.b,
      n: alarm.n,
      key: `${alarm.channel}/${alarm.rule}`,
      channel: alarm.channel,
      rule: alarm.rule,
      state: alarm.state,
      t_us: alarm.t,
      value: alarm.value,
      threshold: alarm.threshold,
      received_ms: now,
    },
  });
  if (changed) emitStatus(ctx, topic.board);
}

function ingestAck(ctx: IngestContext, topic: Topic, payload: Uint8Array, reject: Reject): void {
  const decoded = decodeMessage("ack", payload);
  if (!decoded.ok) return reject(decoded.error);
  ctx.boards.seen(topic.board, nowOf(ctx));
  ctx.emit({ type: "ack", rig: topic.rig, board: topic.board, ack: decoded.message });
}

/** Frames the board says it dropped are counted as reported lost, and will not come again: they are no gap to request. */
function ingestGap(ctx: IngestContext, topic: Topic, payload: Uint8Array, reject: Reject): void {
  const decoded = decodeMessage("gap", payload);
  if (!decoded.ok) return reject(decoded.error);
  const gap = decoded.message;
  ctx.boards.seen(topic.board, nowOf(ctx));
  if (gap.seq === undefined) return;
  ctx.sequences.report(topic.board, gap.b, gap.seq, gap.frames);
  ctx.reorder?.explained(topic.board, gap.b, gap.seq, gap.frames);
}

function ingestDeath(ctx: IngestContext, topic: Topic, payload: Uint8Array, reject: Reject): void {
  const decoded = decodeMessage("death", payload);
  if (!decoded.ok) return reject(decoded.error);
  if (ctx.boards.markDead(topic.board, decoded.message.b)) {
    ctx.emit({ type: "death", rig: topic.rig, board: topic.board, boot: decoded.message.b });
    emitStatus(ctx, topic.board);
  }
}

async function ingestData(ctx: IngestContext, topic: Topic, payload: Uint8Array, reject: Reject): Promise<void> {
  const board = ctx.boards.get(topic.board);
  const now = nowOf(ctx);
  let decoded = decodeMessage("data", payload, board === undefined ? {} : { birth: board.birth });
  let birth = board?.birth;
  // Not the current boot (or no birth yet): an earlier boot's frames forwarded from flash are read
  // with that boot's birth; frames of a boot with no birth anywhere are kept until one comes.
  if (board === undefined || (!decoded.ok && decoded.error.code === "unknown_boot")) {
    if (!decoded.ok) decoded = decodeMessage("data", payload, {});
    if (!decoded.ok) return reject(decoded.error);
    birth = await birthOf(ctx, topic.board, decoded.message.b);
    if (birth === undefined) {
      ctx.requestRebirth?.(topic.rig, topic.board);
      if (ctx.pending === undefined) {
        return reject(board === undefined
          ? { code: "no_birth", message: `data from board "${topic.board}" before any birth; its samples cannot be read without the birth's channels and calibration` }
          : { code: "unknown_boot", message: `data frame is from boot ${decoded.message.b} but board "${topic.board}" has no birth of that boot` });
      }
      await ctx.pending.hold(ctx.store, topic.rig, topic.board, decoded.message, payload, now);
      ctx.counts.framesHeld++;
      return;
    }
    decoded = decodeMessage("data", payload, { birth });
  }
  if (!decoded.ok) {
    if (decoded.error.code === "unknown_boot") ctx.requestRebirth?.(topic.rig, topic.board);
    return reject(decoded.error);
  }
  const frameBirth = birth!;
  const frame = decoded.message;
  ctx.boards.seen(topic.board, now);
  const samples = convert(frame, frameBirth);
  // Written even when the tracker has seen it: a redelivery after a failed commit must reach storage,
  // and the store keeps one copy of each (board, boot, seq).
  await ctx.store.writeFrame(topic.rig, topic.board, frame, samples);
  const expected = ctx.sequences.next(topic.board, frame.b);
  const verdict = ctx.sequences.observe(topic.board, frame.b, frame.s);
  if (verdict === "duplicate") return;
  if (ctx.reorder !== undefined) {
    if (verdict === "after_gap" && expected !== undefined) ctx.reorder.noteGap(topic.board, frame.b, expected, (frame.s - 1) >>> 0, now);
    else if (verdict === "late") ctx.reorder.arrived(topic.board, frame.b, frame.s);
  }
  ctx.counts.framesStored++;
  let newest_us = -Infinity;
  for (const s of samples) {
    ctx.counts.samplesStored += s.value.length;
    if (s.t_us.length > 0) newest_us = Math.max(newest_us, s.t_us[s.t_us.length - 1]!);
  }
  if (newest_us > -Infinity) {
    ctx.boards.sampleSeen(topic.board, newest_us);
    // A backfilled frame was held back on purpose; its arrival says nothing about the clock.
    const backfill = ((frame.f ?? 0) & 1) !== 0;
    if (!backfill && ctx.boards.clockPoint(topic.board, frame.b, newest_us, now)) emitStatus(ctx, topic.board);
  }
  if (ctx.listening?.() === false) return;
  const live: LiveChannel[] = samples.map((s, i) => {
    const channel = frameBirth.channels[i]!;
    return { channel: s.channel, quantity: channel.quantity, unit: channel.unit, t_us: Array.from(s.t_us), raw: Array.from(s.raw), value: Array.from(s.value) };
  });
  ctx.emit({ type: "samples", rig: topic.rig, board: topic.board, boot: frame.b, seq: frame.s, channels: live });
}

interface ConvertedSamples extends ChannelSamples {
  t_us: Float64Array;
  raw: Int32Array | Float64Array;
  value: Float64Array;
}

/** Raw codes, sample times and physical values per channel, with the timing and calibration of the frame's birth. */
function convert(frame: Data, birth: Birth): ConvertedSamples[] {
  return birth.channels.map((channel, i) => {
    const raw = decodeSamples(frame.c[i]!);
    return { channel: channel.id, t_us: sampleTimes_us(frame, birth, i), raw, value: toPhysical(raw, channel.cal) };
  });
}

/** The birth of (board, boot): in memory if recent, else from the store (then remembered). */
async function birthOf(ctx: IngestContext, board: string, boot: number): Promise<Birth | undefined> {
  const known = ctx.boards.birthOf(board, boot);
  if (known !== undefined) return known;
  const stored = await ctx.store.birthOf(board, boot);
  if (stored === undefined) return undefined;
  ctx.boards.rememberBirth(board, stored.birth);
  return stored.birth;
}
