import { readFileSync } from "node:fs";
import { Compile } from "typebox/compile";
import type { BoardProfile } from "./profile.ts";
import { RigConfig } from "./rig-schema.ts";
import { wiringProblems } from "./rig-wiring.ts";
import { limitProblems } from "./limits.ts";
import { makeSchedule } from "../protocol/wire/schedule.ts";

const check = Compile(RigConfig);

/** Validates a rig configuration against the schema and the board it targets; throws with every mistake listed. */
export function validateRigConfig(value: unknown, board: BoardProfile, source = "rig configuration"): RigConfig {
  if (!check.Check(value)) {
    const problems = [...check.Errors(value)].map((e) => `${e.instancePath || "/"}: ${e.message}`);
    throw new Error(`${source} is invalid:\n  ${problems.join("\n  ")}`);
  }
  const problems: string[] = [];
  if (value.board !== board.id) problems.push(`/board: "${value.board}" does not match the board being built (${board.id})`);
  value.channels.forEach((ch, i) => {
    if (ch.rate_hz > board.max_sample_rate_hz) {
      problems.push(`/channels/${i} ("${ch.id}"): rate ${ch.rate_hz} Hz is above ${board.id}'s limit of ${board.max_sample_rate_hz} Hz`);
    }
  });
  problems.push(...wiringProblems(value.channels, board));
  problems.push(...limitProblems(value, board));
  const ids = value.channels.map((c) => c.id);
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) problems.push(`/channels/${i}: channel id "${id}" is used twice`);
  });
  try {
    makeSchedule(value.channels, value.frame_s);
  } catch (err) {
    problems.push(`/channels: ${(err as Error).message}`);
  }
  if (problems.length > 0) throw new Error(`${source} does not fit board ${board.id}:\n  ${problems.join("\n  ")}`);
  return value;
}

export function loadRigConfig(path: string, board: BoardProfile): RigConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`rig configuration ${path} cannot be read: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`rig configuration ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return validateRigConfig(value, board, `rig configuration ${path}`);
}
