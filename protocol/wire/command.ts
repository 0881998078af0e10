// The `cmd` message on the board (docs/PROTOCOL.md "cmd and ack"): a payload from the broker becomes
// a typed command or a coded error that the ack reports. Never throws on bad input; the reader's
// limits bound what a hostile payload can make the board allocate.
import { CborReader, type CborValue } from "./cbor-reader.ts";
import { PROTOCOL_VERSION } from "./data-frame.ts";

export type CommandOp = "set_rate" | "set_threshold" | "set_calibration" | "rebirth" | "resend_from" | "reboot";
export const COMMAND_OPS: CommandOp[] = ["set_rate", "set_threshold", "set_calibration", "rebirth", "resend_from", "reboot"];

/** A command is a handful of short fields: anything bigger is not one. */
export const MAX_COMMAND_BYTES = 512;
/** The fastest rate any board profile samples at. */
export const MAX_RATE_HZ = 1000;
export const MAX_UINT32 = 4294967295;

/** Length of a command's authentication tag: an HMAC-SHA1 (docs/PROTOCOL.md "Command authentication"). */
export const TAG_BYTES = 20;
/** Largest command counter: every integer up to it is exact in a double. */
export const MAX_COUNTER = 9007199254740991;

/**
 * The host's signature of a command: for the board's boot `boot`, counter `n` (strictly increasing
 * within a boot), and `tag` = HMAC-SHA1(board key, board id + "\0" + `signed`), where `signed` is the
 * command's bytes without the 20 bytes of the tag. `tag` is a view into the payload, so the sender
 * fills it in place.
 */
export interface CommandAuth {
  boot: number;
  n: number;
  tag: Uint8Array;
  signed: Uint8Array;
}

/** Fields of every command: `persist` asks for a configuration change to be written to the stored configuration. */
interface CommandBase {
  id: number;
  persist: boolean;
  /** Present when the command carries a tag; checked by the board (firmware/auth.ts). */
  auth?: CommandAuth;
}
export interface SetRate extends CommandBase {
  op: "set_rate";
  channel: string;
  rate_hz: number;
}
export interface SetThreshold extends CommandBase {
  op: "set_threshold";
  channel: string;
  /** Name of the alarm rule in the rig configuration. */
  rule: string;
  /** In the channel's unit. */
  threshold: number;
}
/**
 * A calibration as the birth carries it (docs/PROTOCOL.md "birth"): a `kind` and its parameters.
 * The board stores and announces it; the host, which knows every kind, checks the parameters.
 */
export interface CalibrationFields {
  kind: string;
  [parameter: string]: number | string;
}
export interface SetCalibration extends CommandBase {
  op: "set_calibration";
  channel: string;
  cal: CalibrationFields;
}
export interface Rebirth extends CommandBase {
  op: "rebirth";
}
export interface ResendFrom extends CommandBase {
  op: "resend_from";
  /** The boot whose frames to resend: a board refuses another boot's, it no longer holds them. */
  b: number;
  seq: number;
}
export interface Reboot extends CommandBase {
  op: "reboot";
}
export type Command = SetRate | SetThreshold | SetCalibration | Rebirth | ResendFrom | Reboot;

/**
 * `code`: cbor, too_large, too_deep, too_many (from the reader), version, missing_field, bad_field,
 * unknown_op. `id` is the command's id when it could be read, else -1.
 */
export type CommandResult = { ok: true; command: Command } | { ok: false; id: number; code: string; message: string };

const reader = new CborReader({ maxBytes: MAX_COMMAND_BYTES, maxDepth: 3, maxItems: 64, maxStringBytes: 64 });

type Fields = { [key: string]: CborValue };

/** Why a field is unusable, or "" when it is fine. */
type FieldCheck = (value: CborValue) => string;

function isUint(value: CborValue, max: number): boolean {
  return typeof value === "number" && Math.floor(value) === value && value >= 0 && value <= max;
}

function isFiniteNumber(value: CborValue): boolean {
  return typeof value === "number" && isFinite(value);
}

/** [A-Za-z0-9_-]{1,32}, the id pattern of protocol/wire/topics.ts, without a RegExp. */
export function isIdText(value: unknown): boolean {
  if (typeof value !== "string" || value.length < 1 || value.length > 32) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
    if (!ok) return false;
  }
  return true;
}

const uint32: FieldCheck = (v) => (isUint(v, MAX_UINT32) ? "" : "must be an integer in [0, 4294967295]");
const id: FieldCheck = (v) => (isIdText(v) ? "" : "must be an id of 1 to 32 characters [A-Za-z0-9_-]");
const finite: FieldCheck = (v) => (isFiniteNumber(v) ? "" : "must be a finite number");
const rate: FieldCheck = (v) =>
  isFiniteNumber(v) && (v as number) > 0 && (v as number) <= MAX_RATE_HZ ? "" : "must be a number above 0 and at most " + MAX_RATE_HZ + " Hz";

function fail(id: number, code: string, message: string): CommandResult {
  return { ok: false, id: id, code: code, message: message };
}

/** Checks the named fields of `fields`; returns the first problem as an error result, or undefined. */
function checkFields(fields: Fields, path: string, checks: { [name: string]: FieldCheck }, cmdId: number): CommandResult | undefined {
  const names = Object.keys(checks);
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const value = fields[name];
    if (value === undefined) return fail(cmdId, "missing_field", "command field " + path + name + " is missing");
    const problem = checks[name](value);
    if (problem !== "") return fail(cmdId, "bad_field", "command field " + path + name + " " + problem);
  }
  return undefined;
}

function isFields(value: CborValue): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * A linear calibration is checked in full, as the host checks it; for other kinds every parameter
 * must be a finite number or a short word (such as ntc_position "low").
 */
function calibrationOf(value: CborValue, cmdId: number): { cal?: CalibrationFields; error?: CommandResult } {
  if (!isFields(value)) return { error: fail(cmdId, "bad_field", "command field /cal must be a map {kind, ...parameters}") };
  if (value.kind === undefined) return { error: fail(cmdId, "missing_field", "command field /cal/kind is missing") };
  if (!isIdText(value.kind)) return { error: fail(cmdId, "bad_field", "command field /cal/kind " + id(value.kind)) };
  if (value.kind === "linear") {
    const problem = checkFields(value, "/cal/", { gain: finite, offset: finite }, cmdId);
    if (problem !== undefined) return { error: problem };
  }
  const cal: CalibrationFields = { kind: value.kind as string };
  const names = Object.keys(value);
  for (let i = 0; i < names.length; i++) {
    const v = value[names[i]];
    if (!isFiniteNumber(v) && !isIdText(v)) {
      return { error: fail(cmdId, "bad_field", "command field /cal/" + names[i] + " must be a finite number or a word of 1 to 32 characters [A-Za-z0-9_-]") };
    }
    cal[names[i]] = v as number | string;
  }
  return { cal: cal };
}

function commandOf(f: Fields, op: string, cmdId: number): CommandResult {
  let problem: CommandResult | undefined;
  if (f.persist !== undefined && typeof f.persist !== "boolean") return fail(cmdId, "bad_field", "command field /persist must be true or false");
  const persist = f.persist === true;
  if (op === "set_rate") {
    problem = checkFields(f, "/", { channel: id, rate_hz: rate }, cmdId);
    if (problem !== undefined) return problem;
    return { ok: true, command: { op: "set_rate", id: cmdId, persist: persist, channel: f.channel as string, rate_hz: f.rate_hz as number } };
  }
  if (op === "set_threshold") {
    problem = checkFields(f, "/", { channel: id, rule: id, threshold: finite }, cmdId);
    if (problem !== undefined) return problem;
    return { ok: true, command: { op: "set_threshold", id: cmdId, persist: persist, channel: f.channel as string, rule: f.rule as string, threshold: f.threshold as number } };
  }
  if (op === "set_calibration") {
    problem = checkFields(f, "/", { channel: id }, cmdId);
    if (problem !== undefined) return problem;
    if (f.cal === undefined) return fail(cmdId, "missing_field", "command field /cal is missing");
    const parsed = calibrationOf(f.cal, cmdId);
    if (parsed.cal === undefined) return parsed.error as CommandResult;
    return { ok: true, command: { op: "set_calibration", id: cmdId, persist: persist, channel: f.channel as string, cal: parsed.cal } };
  }
  if (op === "resend_from") {
    problem = checkFields(f, "/", { b: uint32, seq: uint32 }, cmdId);
    if (problem !== undefined) return problem;
    return { ok: true, command: { op: "resend_from", id: cmdId, persist: persist, b: f.b as number, seq: f.seq as number } };
  }
  if (op === "rebirth") return { ok: true, command: { op: "rebirth", id: cmdId, persist: persist } };
  if (op === "reboot") return { ok: true, command: { op: "reboot", id: cmdId, persist: persist } };
  return fail(cmdId, "unknown_op", "command field /op \"" + op + "\" is not one of " + COMMAND_OPS.join(", "));
}

/** The tag fields `boot`, `n` and `tag` together, or an error result when they are there but unusable. */
function authOf(f: Fields, payload: Uint8Array, cmdId: number): { auth?: CommandAuth; error?: CommandResult } {
  const tag = f.tag;
  if (tag === undefined) return {};
  if (!(tag instanceof Uint8Array) || tag.length !== TAG_BYTES || !isUint(f.boot, MAX_UINT32) || !isUint(f.n, MAX_COUNTER) || f.n === 0) {
    return { error: fail(cmdId, "bad_field", "command fields /boot, /n, /tag must be a boot id, a counter from 1 and " + TAG_BYTES + " bytes") };
  }
  // the reader returns byte strings as views into the payload
  const at = tag.byteOffset - payload.byteOffset;
  const signed = new Uint8Array(payload.length - TAG_BYTES);
  signed.set(payload.subarray(0, at));
  signed.set(payload.subarray(at + TAG_BYTES), at);
  return { auth: { boot: f.boot as number, n: f.n as number, tag: tag, signed: signed } };
}

/** Parses one `cmd` payload. Unknown keys are ignored, as everywhere in the protocol. */
export function parseCommand(payload: Uint8Array): CommandResult {
  const read = reader.read(payload);
  if (!read.ok) return fail(-1, read.code, "command is not readable: " + read.message);
  const f = read.value;
  if (!isFields(f)) return fail(-1, "bad_field", "command must be a CBOR map with text keys");
  const cmdId = isUint(f.id, MAX_UINT32) ? (f.id as number) : -1;
  if (f.v !== PROTOCOL_VERSION) return fail(cmdId, "version", "command field /v must be " + PROTOCOL_VERSION + " (this board speaks protocol v1)");
  if (f.id === undefined) return fail(-1, "missing_field", "command field /id is missing");
  if (cmdId < 0) return fail(-1, "bad_field", "command field /id must be an integer in [0, 4294967295]");
  if (f.op === undefined) return fail(cmdId, "missing_field", "command field /op is missing");
  if (typeof f.op !== "string") return fail(cmdId, "bad_field", "command field /op must be text");
  const signature = authOf(f, payload, cmdId);
  if (signature.error !== undefined) return signature.error;
  const result = commandOf(f, f.op, cmdId);
  if (result.ok && signature.auth !== undefined) result.command.auth = signature.auth;
  return result;
}
