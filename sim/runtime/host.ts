import type { BoardTime } from "./board-time.ts";
import type { TimerOwner, VirtualClock } from "./clock.ts";
import type { SimBoardProfile } from "./profile.ts";
import type { Realm } from "./realm.ts";

/** The interpreter's error flags (E.getErrorFlags()). */
export type ErrorFlag = "FIFO_FULL" | "BUFFER_FULL" | "CALLBACK" | "LOW_MEMORY" | "MEMORY" | "MEMORY_BUSY" | "UART_OVERFLOW";

/**
 * The narrow view of one boot of a board that each Espruino API module gets: its realm, its time
 * line, a safe way to call firmware code, and the console. A new BoardHost is made on every boot,
 * so work left over from a previous boot (a socket's late data) can tell that it is stale.
 */
export interface BoardHost {
  readonly realm: Realm;
  readonly clock: VirtualClock;
  /** The board's own clock (getTime, Date, timer delays), which faults can make drift or step. */
  readonly time: BoardTime;
  /** Owner of every timer this boot schedules; cleared on reboot. */
  readonly owner: TimerOwner;
  readonly profile: SimBoardProfile;
  readonly serial: string;
  /** False once the board has rebooted or closed since this host was made. */
  alive(): boolean;
  /** Calls firmware code; an exception is reported as "Uncaught ..." and goes no further. */
  invoke(fn: unknown, thisArg: unknown, args: readonly unknown[]): void;
  /** Schedules host work on this boot's time line; it is dropped on reboot. */
  after(delay_s: number, work: () => void): void;
  /** Writes text to the board's console, as print() does. */
  print(text: string): void;
  raiseErrorFlag(flag: ErrorFlag): void;
  /** Registers values held outside the global object (callbacks, handlers) for the JsVar estimate. */
  addRoots(roots: () => Iterable<unknown>): void;
  /** Registers cleanup to run when this boot ends (sockets to close). */
  onShutdown(cleanup: () => void): void;
}
