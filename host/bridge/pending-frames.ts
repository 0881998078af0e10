import type { Birth } from "../../protocol/schema/birth.ts";
import type { Data } from "../../protocol/schema/data.ts";
import type { PendingFrame, SampleStore } from "../store/store.ts";

/**
 * Data frames of a boot the bridge has no birth for are not refused: their samples cannot be read
 * without that boot's channels and calibration, but acknowledging and dropping them would lose them
 * (a board forwards an earlier boot's frames from flash after its new birth, and a boot that never
 * reached the broker has no birth at all). They are kept in the store as received, before their
 * acknowledgement, and read once a birth of their boot arrives. This remembers which (board, boot)
 * streams have frames waiting, so a birth without any costs no store query.
 */
export class PendingBoots {
  private readonly boots = new Set<string>();

  /** Loads the streams with frames waiting, e.g. at startup; returns them, one entry per (board, boot). */
  async load(store: SampleStore): Promise<{ rig: string; board: string; boot: number }[]> {
    const streams = new Map<string, { rig: string; board: string; boot: number }>();
    for (const frame of await store.pendingFrames()) streams.set(key(frame.board, frame.boot), { rig: frame.rig, board: frame.board, boot: frame.boot });
    for (const k of streams.keys()) this.boots.add(k);
    return [...streams.values()];
  }

  /** Keeps one frame; durable when the promise resolves, so its acknowledgement may follow. */
  async hold(store: SampleStore, rig: string, board: string, frame: Data, payload: Uint8Array, received_ms: number): Promise<void> {
    const pending: PendingFrame = { rig, board, boot: frame.b, seq: frame.s, payload, received_ms };
    await store.writePending(pending);
    this.boots.add(key(board, frame.b));
  }

  waiting(board: string, boot: number): boolean {
    return this.boots.has(key(board, boot));
  }

  /**
   * Reads the frames kept for (board, birth.boot) with that birth. `store` is called per frame
   * (decode, convert, writeFrame); the pending rows are dropped only after a flush has committed
   * their samples, so a crash in between leaves them to be read again, and the store's
   * (board, boot, seq) key keeps the second reading from storing anything twice. Returns the
   * frames read and those that could not be (they stay pending, e.g. a channel count that does
   * not match the birth).
   */
  async resolve(store: SampleStore, board: string, birth: Birth, read: (frame: PendingFrame) => Promise<boolean>): Promise<{ resolved: number; unreadable: number }> {
    const frames = await store.pendingFrames(board, birth.boot);
    const done: number[] = [];
    for (const frame of frames) if (await read(frame)) done.push(frame.seq);
    await store.flush();
    await store.dropPending(board, birth.boot, done);
    if (done.length === frames.length) this.boots.delete(key(board, birth.boot));
    return { resolved: done.length, unreadable: frames.length - done.length };
  }
}

function key(board: string, boot: number): string {
  return `${board}/${boot}`;
}
