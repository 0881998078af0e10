import type { Birth } from "../schema/birth.ts";
import type { Topic } from "../schema/topics.ts";
import type { DecodeError } from "./result.ts";

/** A birth must describe the board of its topic and name each channel once. Returns undefined when sound. */
export function checkBirth(birth: Birth, topic: Topic | undefined): DecodeError | undefined {
  if (topic !== undefined && (birth.rig !== topic.rig || birth.board !== topic.board)) {
    return {
      code: "topic_mismatch",
      message: `birth names rig "${birth.rig}" board "${birth.board}" but arrived on the topic of rig "${topic.rig}" board "${topic.board}"`,
      path: birth.rig !== topic.rig ? "/rig" : "/board",
    };
  }
  const seen = new Set<string>();
  for (let i = 0; i < birth.channels.length; i++) {
    const id = birth.channels[i]!.id;
    if (seen.has(id)) {
      return { code: "duplicate_channel", message: `birth lists channel "${id}" twice (again at index ${i}); channel ids must be unique`, path: `/channels/${i}/id` };
    }
    seen.add(id);
  }
  return undefined;
}
