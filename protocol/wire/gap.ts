// Encoder of the `gap` message (docs/PROTOCOL.md "gap"): the board's own account of samples it had
// to drop, so no loss is silent. Keys in core deterministic order (RFC 8949 §4.2.1).
import type { CborWriter } from "./cbor-writer.ts";
import { PROTOCOL_VERSION } from "./data-frame.ts";

/**
 * Where the samples were lost. `power`: the board lost power or reset, and the frames of that boot
 * it may have recorded but had neither acknowledged by the broker nor saved in flash went with its
 * RAM; the next boot reports them, under the old boot's id, with the samples count 0 (unknown).
 */
export type GapReason = "sampler" | "outbox" | "storage" | "power";
export const GAP_REASONS: GapReason[] = ["sampler", "outbox", "storage", "power"];

export interface GapMessage {
  boot: number;
  reason: GapReason;
  /** Samples lost, all channels together. */
  samples: number;
  /** Whole data frames lost; their sequence numbers run from `seq` (mod 2^32). 0 when samples were lost before framing. */
  frames: number;
  /** Sequence number of the first lost frame; ignored when `frames` is 0. */
  seq: number;
  /** Nominal times of the first and last lost sample, µs since the Unix epoch. */
  from_us: number;
  until_us: number;
}

export function writeGap(w: CborWriter, g: GapMessage): void {
  const withSeq = g.frames > 0;
  w.mapHead(withSeq ? 8 : 7);
  w.text("b");
  w.uint(g.boot);
  w.text("v");
  w.uint(PROTOCOL_VERSION);
  if (withSeq) {
    w.text("seq");
    w.uint(g.seq);
  }
  w.text("from");
  w.uint(g.from_us);
  w.text("until");
  w.uint(g.until_us);
  w.text("frames");
  w.uint(g.frames);
  w.text("reason");
  w.text(g.reason);
  w.text("samples");
  w.uint(g.samples);
}
