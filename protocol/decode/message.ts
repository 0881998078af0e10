import { birthValidator, type Birth } from "../schema/birth.ts";
import { dataValidator, type Data } from "../schema/data.ts";
import { deathValidator, type Death } from "../schema/death.ts";
import type { Topic } from "../schema/topics.ts";
import { checkBirth } from "./birth-checks.ts";
import { decodeCbor } from "./cbor.ts";
import { checkData } from "./data-checks.ts";
import { fail, type DecodeResult } from "./result.ts";
import { validate } from "./validate.ts";

/** A frame of a few hundred samples per channel is a few kilobytes; anything near this is an attack or a bug. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

interface Messages {
  birth: Birth;
  data: Data;
  death: Death;
}
export type DecodableKind = keyof Messages;
export const DECODABLE_KINDS: readonly DecodableKind[] = ["birth", "data", "death"];

export interface DecodeContext {
  /** The topic the payload arrived on: a birth must describe that board. */
  topic?: Topic;
  /** The board's current birth: a data frame must match its boot and channel count. */
  birth?: Birth;
}

export function isDecodableKind(kind: string): kind is DecodableKind {
  return (DECODABLE_KINDS as readonly string[]).includes(kind);
}

/** Decodes and checks one payload. Never throws: every problem becomes `{ ok: false, error }`. */
export function decodeMessage<K extends DecodableKind>(kind: K, payload: Uint8Array, context: DecodeContext = {}): DecodeResult<Messages[K]> {
  return decodeAny(kind, payload, context) as DecodeResult<Messages[K]>;
}

function decodeAny(kind: string, payload: Uint8Array, context: DecodeContext): DecodeResult<Birth | Data | Death> {
  if (!isDecodableKind(kind)) {
    return fail("unknown_kind", `no decoder for "${kind}" messages (decodable: ${DECODABLE_KINDS.join(", ")})`);
  }
  if (payload.length > MAX_PAYLOAD_BYTES) {
    return fail("too_large", `${kind} payload is ${payload.length} bytes; the limit is ${MAX_PAYLOAD_BYTES}`);
  }
  const cbor = decodeCbor(payload);
  if (!cbor.ok) return cbor;
  switch (kind) {
    case "birth": {
      const birth = validate(birthValidator, cbor.message, "birth");
      if (!birth.ok) return birth;
      const problem = checkBirth(birth.message, context.topic);
      return problem === undefined ? birth : { ok: false, error: problem };
    }
    case "data": {
      const frame = validate(dataValidator, cbor.message, "data");
      if (!frame.ok) return frame;
      const problem = checkData(frame.message, context.birth);
      return problem === undefined ? frame : { ok: false, error: problem };
    }
    case "death":
      return validate(deathValidator, cbor.message, "death");
  }
}
