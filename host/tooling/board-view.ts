import { decodeSamples } from "../../protocol/decode/block.ts";
import { decodeMessage, isDecodableKind } from "../../protocol/decode/message.ts";
import { physicalValue } from "../../protocol/decode/physical.ts";
import type { Alarm } from "../../protocol/schema/alarm.ts";
import type { Birth } from "../../protocol/schema/birth.ts";
import type { Health } from "../../protocol/schema/health.ts";
import { parseTopic } from "../../protocol/schema/topics.ts";

// What a bench monitor shows of one board, kept from the messages it publishes: the channels its
// birth announces with the latest physical value of each, its last health, its alarms, and whether
// it is online. Pure state, so the terminal view and its tests share it.

export interface ChannelView {
  id: string;
  unit: string;
  rate_hz: number;
  latest?: number;
  /** Quality flags of the latest frame's samples (0: all good). */
  quality: number;
  frames: number;
}

export interface BoardView {
  rig?: string;
  board?: string;
  birth?: Birth;
  channels: ChannelView[];
  health?: Health;
  /** Raised or cleared, by rule name. */
  alarms: Map<string, Alarm>;
  /** online after a birth, offline after a death (the broker's will or the board's goodbye). */
  link: "waiting" | "online" | "offline";
  frames: number;
  /** Payloads that did not decode, with why; the last few. */
  rejected: string[];
}

export function emptyView(): BoardView {
  return { channels: [], alarms: new Map(), link: "waiting", frames: 0, rejected: [] };
}

/** What changed, for a line-by-line log when there is no terminal to redraw. */
export type ViewEvent =
  | { kind: "birth"; birth: Birth }
  | { kind: "data"; channels: ChannelView[] }
  | { kind: "health"; health: Health }
  | { kind: "alarm"; alarm: Alarm }
  | { kind: "death" }
  | { kind: "rejected"; reason: string };

const REJECTED_KEPT = 5;

/** Applies one MQTT message to the view; returns what changed, or nothing for a message that is not this board's. */
export function applyMessage(view: BoardView, topicName: string, payload: Uint8Array): ViewEvent | undefined {
  const topic = parseTopic(topicName);
  if (!topic.ok || !isDecodableKind(topic.kind)) return undefined;
  const reject = (reason: string): ViewEvent => {
    view.rejected = [...view.rejected, `${topic.kind}: ${reason}`].slice(-REJECTED_KEPT);
    return { kind: "rejected", reason: `${topicName}: ${reason}` };
  };
  view.rig = topic.rig;
  view.board = topic.board;
  switch (topic.kind) {
    case "birth": {
      const decoded = decodeMessage("birth", payload, { topic });
      if (!decoded.ok) return reject(decoded.error.message);
      view.birth = decoded.message;
      view.channels = decoded.message.channels.map((c) => ({ id: c.id, unit: c.unit, rate_hz: c.rate_hz, quality: 0, frames: 0 }));
      view.link = "online";
      return { kind: "birth", birth: decoded.message };
    }
    case "data": {
      if (view.birth === undefined) return reject("a data frame before the board's birth: its channels are not known yet");
      const decoded = decodeMessage("data", payload, { topic, birth: view.birth });
      if (!decoded.ok) return reject(decoded.error.message);
      const frame = decoded.message;
      frame.c.forEach((block, i) => {
        const channel = view.channels[i];
        const cal = view.birth!.channels[i]?.cal;
        if (channel === undefined || cal === undefined) return;
        const raw = decodeSamples(block);
        if (raw.length > 0) channel.latest = physicalValue(raw[raw.length - 1]!, cal);
        channel.quality = frame.q?.[i] ?? 0;
        channel.frames++;
      });
      view.frames++;
      view.link = "online";
      return { kind: "data", channels: view.channels };
    }
    case "health": {
      const decoded = decodeMessage("health", payload, { topic });
      if (!decoded.ok) return reject(decoded.error.message);
      view.health = decoded.message;
      return { kind: "health", health: decoded.message };
    }
    case "alarm": {
      const decoded = decodeMessage("alarm", payload, { topic });
      if (!decoded.ok) return reject(decoded.error.message);
      view.alarms.set(decoded.message.rule, decoded.message);
      return { kind: "alarm", alarm: decoded.message };
    }
    case "death": {
      // An empty retained death clears the topic: nothing happened to the board.
      if (payload.length === 0) return undefined;
      const decoded = decodeMessage("death", payload, { topic });
      if (!decoded.ok) return reject(decoded.error.message);
      // The broker keeps the death of an earlier boot beside the birth of this one.
      if (view.birth !== undefined && decoded.message.b !== view.birth.boot) return undefined;
      view.link = "offline";
      return { kind: "death" };
    }
    default:
      return undefined;
  }
}

/** A value with about five significant digits, as a bench display shows it. */
export function formatValue(value: number | undefined): string {
  if (value === undefined) return "-";
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e7 || magnitude < 1e-3)) return value.toExponential(4);
  return Number(value.toPrecision(6)).toString();
}

/** One line of the latest values, for logs. */
export function channelsLine(channels: ChannelView[]): string {
  return channels.map((c) => `${c.id}=${formatValue(c.latest)} ${c.unit}${c.quality === 0 ? "" : ` (quality ${c.quality})`}`).join("  ");
}

export function healthLine(h: Health): string {
  const link = `link ${h.link.state} (${h.link.connects} connect${h.link.connects === 1 ? "" : "s"})`;
  return `up ${Math.round(h.up / 1e6)} s  mem ${h.mem.used}/${h.mem.total} JsVars  store ${h.buf.used}/${h.buf.total} B  ${link}${h.err.length > 0 ? `  errors ${h.err.join(", ")}` : ""}`;
}

export function alarmLine(a: Alarm): string {
  return `${a.state === "raised" ? "RAISED " : "cleared"} ${a.rule} on ${a.channel}: ${formatValue(a.value)} (threshold ${formatValue(a.threshold)})`;
}

/** The whole view as lines for a terminal. */
export function renderView(view: BoardView, target: string): string[] {
  const lines: string[] = [];
  const who = view.board === undefined ? target : `board ${view.board} of rig ${view.rig}`;
  lines.push(`cellrig monitor — ${who} — ${view.link}${view.birth ? `, firmware ${view.birth.fw.version} build ${view.birth.fw.build}, profile ${view.birth.profile}` : ""}`);
  lines.push("");
  if (view.channels.length === 0) lines.push(view.link === "waiting" ? "waiting for the board's birth (it says which channels it has)..." : "no channels");
  else {
    const idWidth = Math.max(7, ...view.channels.map((c) => c.id.length));
    lines.push(`${"channel".padEnd(idWidth)}  ${"value".padStart(12)}  unit      rate      frames  quality`);
    for (const c of view.channels) {
      lines.push(`${c.id.padEnd(idWidth)}  ${formatValue(c.latest).padStart(12)}  ${c.unit.padEnd(8)}  ${`${c.rate_hz} Hz`.padEnd(8)}  ${String(c.frames).padStart(6)}  ${c.quality === 0 ? "ok" : c.quality}`);
    }
  }
  lines.push("");
  lines.push(view.health === undefined ? "health: none yet" : `health: ${healthLine(view.health)}`);
  const alarms = [...view.alarms.values()];
  lines.push(alarms.length === 0 ? "alarms: none" : "alarms:");
  for (const a of alarms) lines.push(`  ${alarmLine(a)}`);
  if (view.rejected.length > 0) {
    lines.push("rejected messages:");
    for (const r of view.rejected) lines.push(`  ${r}`);
  }
  return lines;
}
