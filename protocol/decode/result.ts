/**
 * Why a message was rejected. `code` is stable, so the bridge can count by it: too_large, cbor,
 * too_deep, schema, bad_block, channel_count, unknown_boot, implausible, topic_mismatch,
 * duplicate_channel, unknown_op, unknown_kind.
 */
export interface DecodeError {
  code: string;
  message: string;
  /** JSON pointer of the offending field, when one field is to blame. */
  path?: string;
}

export type DecodeResult<T> = { ok: true; message: T } | { ok: false; error: DecodeError };

export function fail(code: string, message: string, path?: string): { ok: false; error: DecodeError } {
  return { ok: false, error: path === undefined ? { code, message } : { code, message, path } };
}

/** Thrown only by helpers whose input the caller should already have validated with decodeMessage. */
export class ProtocolError extends Error {
  readonly code: string;
  readonly path: string | undefined;

  constructor(error: DecodeError) {
    super(error.message);
    this.code = error.code;
    this.path = error.path;
  }
}
