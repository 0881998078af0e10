import { readFileSync } from "node:fs";
import { isAbsolute, relative } from "node:path";
import type { BoardProfile } from "./profile.ts";
import type { ChannelConfig, RigConfig } from "./rig-schema.ts";
import { wiringProblems } from "./rig-wiring.ts";
import { limitProblems } from "./limits.ts";
import { jsonFaultOffset, positionAt } from "./json-positions.ts";
import { formatProblems, isValidChannel, problemFromLine, RigConfigError, schemaProblems, withoutComments, type RigProblem } from "./rig-errors.ts";
import { makeSchedule } from "../protocol/wire/schedule.ts";

/**
 * Every mistake of a rig configuration against the schema and the board, one problem each.
 * Channels are checked against the board even when other parts of the file are malformed, so one
 * pass shows every mistake; the memory and schedule figures follow from the channels and are
 * checked only once the channels are right, since a refused rate would make them meaningless.
 */
export function rigProblems(value: unknown, board: BoardProfile): RigProblem[] {
  const problems = schemaProblems(value);
  const schemaValid = problems.length === 0;
  const rig = (typeof value === "object" && value !== null ? value : {}) as Partial<RigConfig>;
  if (typeof rig.board === "string" && rig.board !== board.id) problems.push({ pointer: "/board", text: `/board: "${rig.board}" does not match the board being built (${board.id}): set "board": "${board.id}"` });

  const indices: number[] = [];
  const channels: ChannelConfig[] = [];
  (Array.isArray(rig.channels) ? rig.channels : []).forEach((ch: unknown, i) => {
    if (!isValidChannel(ch)) return;
    indices.push(i);
    channels.push(ch as ChannelConfig);
  });
  const tooFast = new Set<number>();
  channels.forEach((ch, j) => {
    const i = indices[j]!;
    if (ch.rate_hz <= board.max_sample_rate_hz) return;
    tooFast.add(i);
    problems.push({ pointer: `/channels/${i}/rate_hz`, text: `/channels/${i} ("${ch.id}"): rate ${ch.rate_hz} Hz is above ${board.id}'s limit of ${board.max_sample_rate_hz} Hz: set rate_hz to at most ${board.max_sample_rate_hz}` });
  });
  for (const line of wiringProblems(channels, board)) {
    const problem = problemFromLine(line.replace(/^\/channels\/(\d+)/, (_, j: string) => `/channels/${indices[Number(j)]}`));
    // A rate the board refuses is one mistake; what a chip could convert at it adds nothing.
    const index = /^\/channels\/(\d+)(\/|$)/.exec(problem.pointer);
    if (index !== null && tooFast.has(Number(index[1])) && / rate /.test(problem.text)) continue;
    problems.push(problem);
  }
  const ids = channels.map((c) => c.id);
  ids.forEach((id, j) => {
    const first = ids.indexOf(id);
    if (first !== j) problems.push({ pointer: `/channels/${indices[j]}/id`, text: `/channels/${indices[j]}: channel id "${id}" is used twice (also /channels/${indices[first]}): give each channel its own id` });
  });
  if (!schemaValid || problems.length > 0) return problems;

  const config = value as RigConfig;
  problems.push(...limitProblems(config, board).map(problemFromLine));
  try {
    makeSchedule(config.channels, config.frame_s);
  } catch (err) {
    problems.push({ pointer: "/channels", text: `/channels: ${(err as Error).message}` });
  }
  return problems;
}

/**
 * Validates a rig configuration against the schema and the board it targets; throws a
 * RigConfigError with every mistake listed. `file` (its name and text) makes each line start with
 * the file, line and column of the key that is wrong. "$comment" members are notes for people
 * and are dropped.
 */
export function validateRigConfig(value: unknown, board: BoardProfile, source = "rig configuration", file?: { name: string; text: string }): RigConfig {
  const deep = tooDeep(value, MAX_NESTING, "");
  if (deep !== undefined) {
    const problems = [{ pointer: deep, text: `${deep}: nests deeper than ${MAX_NESTING} levels; a rig configuration's objects and lists are a few levels deep` }];
    throw new RigConfigError(`${source} is invalid:\n  ${formatProblems(problems, file).join("\n  ")}`, problems);
  }
  const config = withoutComments(value);
  const problems = rigProblems(config, board);
  if (problems.length === 0) return config as RigConfig;
  const schemaValid = schemaProblems(config).length === 0;
  const header = schemaValid ? `${source} does not fit board ${board.id}` : `${source} is invalid`;
  throw new RigConfigError(`${header}:\n  ${formatProblems(problems, file).join("\n  ")}`, problems);
}

/** Far deeper than a rig configuration nests (a calibration in a channel in the list is three levels). */
const MAX_NESTING = 32;

/** The pointer of the first value nested `limit` levels below `pointer`; the walk stops there, so a deep document costs no deep recursion. */
function tooDeep(value: unknown, limit: number, pointer: string): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (limit === 0) return pointer;
  for (const [key, member] of Object.entries(value)) {
    const found = tooDeep(member, limit - 1, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function loadRigConfig(path: string, board: BoardProfile): RigConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`rig configuration ${path} cannot be read: ${(err as Error).message}`);
  }
  return parseRigConfig(text, shownPath(path), board);
}

/**
 * A rig configuration from the text of its file, `name` as the file is shown in messages: a
 * syntax error names the line and column where the text stops being JSON, every other mistake is
 * a RigConfigError. A byte-order mark, as some editors save, is skipped.
 */
export function parseRigConfig(text: string, name: string, board: BoardProfile): RigConfig {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // V8 gives no position for an early end or some unexpected tokens; the scanner finds where reading stopped
    const offset = /position (\d+)/.exec((err as Error).message);
    const at = positionAt(text, offset === null ? jsonFaultOffset(text) : Number(offset[1]));
    throw new Error(`rig configuration ${name}:${at.line}:${at.column} is not valid JSON: ${(err as Error).message}`);
  }
  return validateRigConfig(value, board, `rig configuration ${name}`, { name, text });
}

/** A path inside the working directory as typed there; others in full. */
function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}
