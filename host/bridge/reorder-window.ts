/** What the bridge asks a board for when frames stay missing past the reorder window. */
export type RecoveryRequest =
  | { kind: "resend"; board: string; boot: number; from: number; to: number }
  /** The gap is too large to resend frame by frame, or the board's state is unknown: ask for a new birth. */
  | { kind: "rebirth"; board: string; boot: number };

/** Sends recovery requests as protocol commands; kept narrow so the decision logic runs without MQTT. */
export interface RecoverySender {
  send(request: RecoveryRequest): void;
}

export interface ReorderWindowOptions {
  /** How long a missing frame may still arrive late before it is requested. */
  window_ms?: number;
  /** Gaps of more frames than this are not resent but answered with a rebirth request. */
  maxResendFrames?: number;
}

/** Board-reported drops remembered, newest kept. */
const MAX_REPORTED = 256;

interface Gap {
  board: string;
  boot: number;
  /** Missing sequence numbers, first seen at `noticed_ms`. */
  missing: Set<number>;
  noticed_ms: number;
  /** Too many frames to resend one by one. */
  huge: boolean;
}

/**
 * Holds gaps in each board's sequence for a reorder window: QoS 1 redelivery and shared
 * subscriptions reorder frames, so a gap is only a loss once the window has passed without the
 * frames arriving. Then the missing range is requested once, or a rebirth when it is too large.
 */
export class ReorderWindow {
  private readonly window_ms: number;
  private readonly maxResendFrames: number;
  private readonly gaps: Gap[] = [];
  private readonly reported: { board: string; boot: number; from: number; count: number }[] = [];

  constructor(options: ReorderWindowOptions = {}) {
    this.window_ms = options.window_ms ?? 2000;
    this.maxResendFrames = options.maxResendFrames ?? 256;
  }

  /** Frames `from` up to `to` (inclusive, modulo 2^32) were skipped when a later frame arrived. */
  noteGap(board: string, boot: number, from: number, to: number, now_ms: number): void {
    const count = ((to - from) >>> 0) + 1;
    const missing = new Set<number>();
    // A huge gap is not listed frame by frame; its size alone decides the request.
    if (count <= this.maxResendFrames) {
      for (let i = 0; i < count; i++) {
        const seq = (from + i) >>> 0;
        if (!this.isReported(board, boot, seq)) missing.add(seq);
      }
      if (missing.size === 0) return;
    } else missing.add(from).add(to);
    this.gaps.push({ board, boot, missing, noticed_ms: now_ms, huge: count > this.maxResendFrames });
  }

  /** A frame arrived: it no longer counts as missing. */
  arrived(board: string, boot: number, seq: number): void {
    for (let i = this.gaps.length - 1; i >= 0; i--) {
      const gap = this.gaps[i]!;
      if (gap.board === board && gap.boot === boot && gap.missing.delete(seq) && gap.missing.size === 0) this.gaps.splice(i, 1);
    }
  }

  /** The board reported frames `seq` … `seq + frames − 1` as dropped (a `gap` message): not to be requested. */
  explained(board: string, boot: number, seq: number, frames: number): void {
    this.reported.push({ board, boot, from: seq, count: frames });
    if (this.reported.length > MAX_REPORTED) this.reported.shift();
    for (let i = 0; i < Math.min(frames, this.maxResendFrames + 1); i++) this.arrived(board, boot, (seq + i) >>> 0);
  }

  /** Whether a `gap` message already said the board dropped this frame (it may come before the frame after the gap). */
  private isReported(board: string, boot: number, seq: number): boolean {
    return this.reported.some((r) => r.board === board && r.boot === boot && ((seq - r.from) >>> 0) < r.count);
  }

  /** Requests for gaps older than the window, each once; the gaps are then forgotten. */
  due(now_ms: number): RecoveryRequest[] {
    const requests: RecoveryRequest[] = [];
    for (let i = 0; i < this.gaps.length; ) {
      const gap = this.gaps[i]!;
      if (now_ms - gap.noticed_ms < this.window_ms) {
        i++;
        continue;
      }
      this.gaps.splice(i, 1);
      if (gap.huge) {
        requests.push({ kind: "rebirth", board: gap.board, boot: gap.boot });
        continue;
      }
      for (const [from, to] of ranges([...gap.missing].sort((a, b) => a - b))) requests.push({ kind: "resend", board: gap.board, boot: gap.boot, from, to });
    }
    return requests;
  }

  /** Sends what is due through `sender`; returns how many requests went out. */
  flush(now_ms: number, sender: RecoverySender): number {
    const requests = this.due(now_ms);
    for (const request of requests) sender.send(request);
    return requests.length;
  }
}

/** Consecutive numbers as [from, to] ranges. */
function ranges(sorted: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && n === last[1] + 1) last[1] = n;
    else out.push([n, n]);
  }
  return out;
}
