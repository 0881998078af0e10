import type { Birth } from "../../protocol/schema/birth.ts";

/** What the bridge knows about a board right now. */
export interface BoardState {
  rig: string;
  board: string;
  birth: Birth;
  /** False after the board's death message for its current boot. */
  online: boolean;
  /** Time of the newest sample received, µs since the Unix epoch. */
  lastSample_us?: number;
}

/** The latest birth per board (board ids are unique across the rigs one host serves). */
export class BoardRegistry {
  private readonly boards = new Map<string, BoardState>();

  setBirth(rig: string, board: string, birth: Birth): void {
    const previous = this.boards.get(board);
    const state: BoardState = { rig, board, birth, online: true };
    if (previous !== undefined && previous.birth.boot === birth.boot && previous.lastSample_us !== undefined) {
      state.lastSample_us = previous.lastSample_us;
    }
    this.boards.set(board, state);
  }

  /**
   * A birth read back from storage at startup: enough to decode frames that arrive before the
   * retained birth does; the board counts as offline until it is heard from.
   */
  restore(rig: string, board: string, birth: Birth): void {
    if (!this.boards.has(board)) this.boards.set(board, { rig, board, birth, online: false });
  }

  get(board: string): BoardState | undefined {
    return this.boards.get(board);
  }

  /** Marks the board offline if the death is for its current boot; a retained death from an older boot is stale. */
  markDead(board: string, boot: number): boolean {
    const state = this.boards.get(board);
    if (state === undefined || state.birth.boot !== boot) return false;
    state.online = false;
    return true;
  }

  sampleSeen(board: string, t_us: number): void {
    const state = this.boards.get(board);
    if (state !== undefined && (state.lastSample_us === undefined || t_us > state.lastSample_us)) state.lastSample_us = t_us;
  }

  list(): BoardState[] {
    return [...this.boards.values()];
  }
}
