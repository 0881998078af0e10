import { ackValidator, type Ack } from "../schema/ack.ts";
import { alarmValidator, type Alarm } from "../schema/alarm.ts";
import { birthValidator, type Birth } from "../schema/birth.ts";
import type { Command } from "../schema/command.ts";
import { dataValidator, type Data } from "../schema/data.ts";
import { deathValidator, type Death } from "../schema/death.ts";
import { gapValidator, type Gap } from "../schema/gap.ts";
import { healthValidator, type Health } from "../schema/health.ts";
import { MESSAGE_KINDS, type MessageKind, type Topic } from "../schema/topics.ts";
import { checkBirth } from "./birth-checks.ts";
import { decodeCbor } from "./cbor.ts";
import { validateCommand } from "./command-checks.ts";
import { checkData } from "./data-checks.ts";
import { checkAck, checkGap, checkHealth } from "./message-checks.ts";
import { fail, type DecodeError, type DecodeResult } from "./result.ts";
import { validate } from "./validate.ts";

/** A frame of a few hundred samples per channel is a few kilobytes; anything near this is an attack or a bug. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/** The decoded message of each kind. */
export interface Messages {
  birth: Birth;
  death: Death;
  data: Data;
  alarm: Alarm;
  gap: Gap;
  health: Health;
  cmd: Command;
  ack: Ack;
}
export type DecodableKind = keyof Messages & MessageKind;
export const DECODABLE_KINDS: readonly DecodableKind[] = MESSAGE_KINDS;

export interface DecodeContext {
  /** The topic the payload arrived on: a birth must describe that board. */
  topic?: Topic;
  /** The board's current birth: a data frame must match its boot and channel count. */
  birth?: Birth;
}

export function isDecodableKind(kind: string): kind is DecodableKind {
  return (DECODABLE_KINDS as readonly string[]).includes(kind);
}

/**
 * Decodes and checks one payload: size limit, structural scan, cbor-x, schema, semantic checks.
 * Never throws: every problem becomes `{ ok: false, error }` with a stable code.
 */
export function decodeMessage<K extends DecodableKind>(kind: K, payload: Uint8Array, context: DecodeContext = {}): DecodeResult<Messages[K]> {
  return decodeAny(kind, payload, context) as DecodeResult<Messages[K]>;
}

/** A validated message that passes, or fails with, its semantic check. */
function checked<T>(result: DecodeResult<T>, check: (message: T) => DecodeError | undefined): DecodeResult<T> {
  if (!result.ok) return result;
  const problem = check(result.message);
  return problem === undefined ? result : { ok: false, error: problem };
}

function decodeAny(kind: string, payload: Uint8Array, context: DecodeContext): DecodeResult<Messages[DecodableKind]> {
  if (!isDecodableKind(kind)) {
    return fail("unknown_kind", `no decoder for "${kind}" messages (decodable: ${DECODABLE_KINDS.join(", ")})`);
  }
  if (payload.length > MAX_PAYLOAD_BYTES) {
    return fail("too_large", `${kind} payload is ${payload.length} bytes; the limit is ${MAX_PAYLOAD_BYTES}`);
  }
  const cbor = decodeCbor(payload);
  if (!cbor.ok) return cbor;
  const value = cbor.message;
  switch (kind) {
    case "birth":
      return checked(validate(birthValidator, value, "birth"), (birth) => checkBirth(birth, context.topic));
    case "data":
      return checked(validate(dataValidator, value, "data"), (frame) => checkData(frame, context.birth));
    case "death":
      return validate(deathValidator, value, "death");
    case "alarm":
      return validate(alarmValidator, value, "alarm");
    case "gap":
      return checked(validate(gapValidator, value, "gap"), checkGap);
    case "health":
      return checked(validate(healthValidator, value, "health"), checkHealth);
    case "cmd":
      return validateCommand(value);
    case "ack":
      return checked(validate(ackValidator, value, "ack"), checkAck);
  }
}
