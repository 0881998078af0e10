import type { DecodeError } from "../../protocol/decode/result.ts";

/** A rejected message, kept for inspection. */
export interface Rejection {
  /** Host time of arrival, ms since the Unix epoch. */
  at_ms: number;
  topic: string;
  code: string;
  message: string;
  path?: string;
  bytes: number;
  /** The payload's first bytes in hex; enough to recognise it without keeping large payloads. */
  head_hex: string;
}

const HEAD_BYTES = 64;

/** Counts rejected messages by error code and keeps the most recent ones, bounded. */
export class Quarantine {
  private readonly capacity: number;
  private readonly now_ms: () => number;
  private readonly counts = new Map<string, number>();
  private readonly kept: Rejection[] = [];

  constructor(capacity = 100, now_ms: () => number = Date.now) {
    this.capacity = capacity;
    this.now_ms = now_ms;
  }

  add(topic: string, payload: Uint8Array, error: DecodeError): void {
    this.counts.set(error.code, (this.counts.get(error.code) ?? 0) + 1);
    const rejection: Rejection = {
      at_ms: this.now_ms(),
      topic,
      code: error.code,
      message: error.message,
      bytes: payload.length,
      head_hex: Buffer.from(payload.subarray(0, HEAD_BYTES)).toString("hex"),
    };
    if (error.path !== undefined) rejection.path = error.path;
    this.kept.push(rejection);
    if (this.kept.length > this.capacity) this.kept.shift();
  }

  /** Rejections so far by error code. */
  countsByCode(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** The most recent rejections, oldest first. */
  recent(): Rejection[] {
    return [...this.kept];
  }
}
