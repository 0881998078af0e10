import { KINDS, TOPIC_PREFIX, topic, type MessageKind } from "../wire/topics.ts";
import { isId } from "./id.ts";

export type { MessageKind };

/** Every message kind of protocol v1, in PROTOCOL.md's order. */
export const MESSAGE_KINDS = Object.keys(KINDS) as MessageKind[];

/** Matches every v1 topic of every rig and board. */
export const ALL_TOPICS = `${TOPIC_PREFIX}/+/+/+`;

export interface Topic {
  rig: string;
  board: string;
  kind: MessageKind;
}

export type ParsedTopic = ({ ok: true } & Topic) | { ok: false; message: string };

export function isMessageKind(value: string): value is MessageKind {
  return (MESSAGE_KINDS as string[]).includes(value);
}

/** Splits `cellrig/v1/<rig>/<board>/<kind>`; the message says which level is wrong. */
export function parseTopic(topic: string): ParsedTopic {
  const levels = topic.split("/");
  if (levels.length !== 5 || `${levels[0]}/${levels[1]}` !== TOPIC_PREFIX) {
    return { ok: false, message: `topic "${topic}" is not of the form ${TOPIC_PREFIX}/<rig>/<board>/<kind>` };
  }
  const [, , rig, board, kind] = levels as [string, string, string, string, string];
  if (!isId(rig)) return { ok: false, message: `topic "${topic}": rig id "${rig}" must match [A-Za-z0-9_-]{1,32}` };
  if (!isId(board)) return { ok: false, message: `topic "${topic}": board id "${board}" must match [A-Za-z0-9_-]{1,32}` };
  if (!isMessageKind(kind)) {
    return { ok: false, message: `topic "${topic}": kind "${kind}" is not one of ${MESSAGE_KINDS.join(", ")}` };
  }
  return { ok: true, rig, board, kind };
}

/** Forms a topic; throws on an invalid id because that is a caller's mistake, not bad input from the wire. */
export function formTopic(rig: string, board: string, kind: MessageKind): string {
  if (!isId(rig)) throw new Error(`rig id "${rig}" must match [A-Za-z0-9_-]{1,32}`);
  if (!isId(board)) throw new Error(`board id "${board}" must match [A-Za-z0-9_-]{1,32}`);
  return topic(rig, board, kind);
}
