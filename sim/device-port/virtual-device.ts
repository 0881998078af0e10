import { EventEmitter } from "node:events";
import { BUILT_IN_MODULES, type BoardReboot, type SimBoard } from "../runtime/board.ts";
import { refuseBundle } from "../runtime/bundle-gate.ts";
import { bytesToString } from "../runtime/bytes.ts";
import type { VirtualClock } from "../runtime/clock.ts";
import type { SimFlash } from "../runtime/flash.ts";

/**
 * Makes the board for one boot, not yet booted: a SimBoard running `code` on `flash` (undefined on
 * the first boot, when the board makes its own), with its devices attached. A board's program is
 * fixed when it is made, so every reset makes a new one on the same flash.
 */
export type BoardFactory = (code: string, flash: SimFlash | undefined) => SimBoard;

/** What a statement typed at the console gave: its value, or what it threw. */
export type ConsoleResult = { ok: true; value: unknown } | { ok: false; name: string; message: string };

export interface VirtualDeviceEvents {
  /** A line the running program printed (print, console.log, Uncaught ...). */
  output: [line: string];
  /** A board started: power-on, reset(), load(), or a reboot from inside (E.reboot, watchdog). */
  boot: [board: SimBoard];
}

/** Run on every boot, even after reset(), before the program (jsfLoadBootCodeFromFlash). */
const BOOT_FILES = [".boot0", ".boot1", ".boot2", ".boot3"];
/** The saved program: what upload tools write when saving to flash. */
const BOOT_CODE = ".bootcde";
/** A saved program that runs even after reset(), instead of .bootcde. */
const RESET_CODE = ".bootrst";
/** From E.reboot() or a watchdog reset to the program running again, as SimBoard allows. */
const REBOOT_TIME_s = 1;

/**
 * An Espruino board as its console sees it: a program that can be replaced while flash stays.
 * Power-on and load() run the saved program from Storage, reset() starts empty (or with .bootrst),
 * load(file) runs that Storage file; E.reboot() and the watchdog restart with the saved program, as
 * the interpreter does. Each boot is a new SimBoard from the factory, on the same flash.
 */
export class VirtualDevice extends EventEmitter<VirtualDeviceEvents> {
  private current: SimBoard | undefined;
  private flash: SimFlash | undefined;
  private echo = true;
  private pending: (() => void) | undefined;

  constructor(
    private readonly createBoard: BoardFactory,
    private readonly clock: VirtualClock,
  ) {
    super();
  }

  /** The board running now. */
  get board(): SimBoard {
    if (this.current === undefined) throw new Error("the virtual device is not running (it is rebooting or was never powered on)");
    return this.current;
  }

  /** The Storage flash, which every boot shares. */
  get storage(): SimFlash {
    if (this.flash === undefined) throw new Error("the virtual device has no flash yet: powerOn() it first");
    return this.flash;
  }

  running(): boolean {
    return this.current !== undefined;
  }

  /** Whether the console echoes input and shows the prompt (echo(0) turns it off). */
  echoing(): boolean {
    return this.echo;
  }

  powerOn(): void {
    this.start(this.bootCode(false));
  }

  /**
   * Runs one complete statement from the console in the running program's global scope. It passes
   * the same gate as a bundle first, so what the interpreter would refuse is refused here too.
   */
  execute(code: string): ConsoleResult {
    const board = this.board;
    const refusal = refuseBundle(code);
    if (refusal !== undefined) return { ok: false, name: refusal.name, message: refusal.message };
    try {
      return { ok: true, value: board.evaluate(code) };
    } catch (err) {
      return { ok: false, ...describeThrown(err) };
    } finally {
      this.applyPending();
    }
  }

  close(): void {
    this.stop();
    this.pending = undefined;
    this.clock.clearOwner(this);
  }

  private start(code: string): void {
    this.stop();
    const board = this.createBoard(code, this.flash);
    this.flash = board.flash;
    board.on("output", (line) => this.emit("output", line));
    board.on("reboot", (reboot) => this.rebooted(board, reboot));
    this.current = board;
    board.boot();
    this.installConsole(board);
    this.emit("boot", board);
  }

  private stop(): void {
    const board = this.current;
    this.current = undefined;
    board?.close();
  }

  /** The board went down by itself; it comes back with what flash holds now, not what it was made with. */
  private rebooted(board: SimBoard, reboot: BoardReboot): void {
    if (reboot.reason === "host" || board !== this.current) return;
    this.stop();
    this.clock.setTimeout(this, () => this.start(this.bootCode(false)), REBOOT_TIME_s);
  }

  /** The console's own commands, and what process.env says about the console and modules. */
  private installConsole(board: SimBoard): void {
    const global = board.evaluate("this") as Record<string, unknown>;
    const define = (name: string, value: unknown) => Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
    define("reset", () => this.request(() => this.start(this.bootCode(true))));
    define("load", (file?: unknown) => {
      if (file === undefined) {
        this.request(() => this.start(this.bootCode(false)));
        return;
      }
      const name = String(file);
      const code = this.read(name);
      if (code === undefined) throw new Error(`Storage file ${JSON.stringify(name)} not found`);
      this.request(() => this.start(this.bootFiles().concat(code).join("\n")));
    });
    define("echo", (on: unknown) => {
      this.echo = Boolean(on);
    });
    const env = board.evaluate("process.env") as Record<string, unknown>;
    env.MODULES = BUILT_IN_MODULES.join(",");
    env.CONSOLE = "Telnet";
  }

  /** reset() and load() take effect once the running statement or callback returns, as on the board. */
  private request(action: () => void): void {
    this.pending = action;
    this.clock.setTimeout(this, () => this.applyPending(), 0);
  }

  private applyPending(): void {
    const action = this.pending;
    this.pending = undefined;
    action?.();
  }

  /** What a boot runs (jsfLoadBootCodeFromFlash): .boot0 to .boot3, then .bootrst, else (not after reset()) .bootcde. */
  private bootCode(afterReset: boolean): string {
    const program = this.read(RESET_CODE) ?? (afterReset ? undefined : this.read(BOOT_CODE));
    return this.bootFiles().concat(program ?? []).join("\n");
  }

  private bootFiles(): string[] {
    return BOOT_FILES.flatMap((name) => this.read(name) ?? []);
  }

  private read(name: string): string | undefined {
    const file = this.flash?.get(name);
    return file === undefined ? undefined : bytesToString(file.data);
  }
}

/** Name and message of anything thrown; the sandbox's Errors are not instanceof the host's. */
function describeThrown(err: unknown): { name: string; message: string } {
  if (typeof err === "object" && err !== null && typeof (err as Error).message === "string") {
    const { name, message } = err as Error;
    return { name: typeof name === "string" ? name : "Error", message };
  }
  return { name: "", message: typeof err === "string" ? JSON.stringify(err) : String(err) };
}
