// Encoder of the `ack` message (docs/PROTOCOL.md "cmd and ack"): the result of one command. Keys in
// core deterministic order (RFC 8949 §4.2.1).
import type { CborWriter } from "./cbor-writer.ts";
import { PROTOCOL_VERSION } from "./data-frame.ts";

/** `code` of an ack whose command was carried out. */
export const ACK_OK = "ok";

export interface AckMessage {
  boot: number;
  /** The command's id, or -1 when the command was too broken to carry a readable one. */
  id: number;
  ok: boolean;
  /** "ok", or the error code (see command.ts and PROTOCOL.md for the list). */
  code: string;
  /** What happened, in words that name the field or channel at fault. */
  message: string;
}

export function writeAck(w: CborWriter, a: AckMessage): void {
  const withId = a.id >= 0;
  w.mapHead(withId ? 6 : 5);
  w.text("b");
  w.uint(a.boot);
  w.text("v");
  w.uint(PROTOCOL_VERSION);
  if (withId) {
    w.text("id");
    w.uint(a.id);
  }
  w.text("ok");
  w.bool(a.ok);
  w.text("code");
  w.text(a.code);
  w.text("message");
  w.text(a.message);
}
