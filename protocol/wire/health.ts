// Encoder of the `health` message (docs/PROTOCOL.md "health"): periodic memory, buffer and link
// figures. Keys in core deterministic order (RFC 8949 §4.2.1).
import type { CborWriter } from "./cbor-writer.ts";
import { PROTOCOL_VERSION } from "./data-frame.ts";

export type LinkState = "up" | "down";

export interface HealthMessage {
  boot: number;
  t_us: number;
  uptime_us: number;
  /** JsVars in use and in all, as process.memory() reports them. */
  memUsed: number;
  memTotal: number;
  /** Frames waiting in the outbox and how many it holds. */
  bufUsed: number;
  bufTotal: number;
  /** E.getErrorFlags(): names such as "FIFO_FULL", "BUFFER_FULL", "LOW_MEMORY". */
  errors: string[];
  link: LinkState;
  /** Times the board has connected to the broker in this boot. */
  connects: number;
}

function writeUsedTotal(w: CborWriter, used: number, total: number): void {
  w.mapHead(2);
  w.text("used");
  w.uint(used);
  w.text("total");
  w.uint(total);
}

export function writeHealth(w: CborWriter, h: HealthMessage): void {
  w.mapHead(8);
  w.text("b");
  w.uint(h.boot);
  w.text("t");
  w.uint(h.t_us);
  w.text("v");
  w.uint(PROTOCOL_VERSION);
  w.text("up");
  w.uint(h.uptime_us);
  w.text("buf");
  writeUsedTotal(w, h.bufUsed, h.bufTotal);
  w.text("err");
  w.arrayHead(h.errors.length);
  for (let i = 0; i < h.errors.length; i++) w.text(h.errors[i]);
  w.text("mem");
  writeUsedTotal(w, h.memUsed, h.memTotal);
  w.text("link");
  w.mapHead(2);
  w.text("state");
  w.text(h.link);
  w.text("connects");
  w.uint(h.connects);
}
