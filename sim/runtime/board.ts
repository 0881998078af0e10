import { EventEmitter } from "node:events";
import { BoardTime } from "./board-time.ts";
import { refuseBundle, type LoadRefusal } from "./bundle-gate.ts";
import type { VirtualClock } from "./clock.ts";
import { installConsole } from "./console.ts";
import { createE, type EspruinoE } from "./espruino-e.ts";
import { SimFlash } from "./flash.ts";
import type { BoardHost, ErrorFlag } from "./host.ts";
import { createI2CObject, SimI2CBus } from "./i2c.ts";
import { estimateJsVars, JsVarMeter, type JsVarUsage } from "./jsvars.ts";
import { createCryptoModule, createRequire } from "./modules.ts";
import { createNetModule, SimNetwork } from "./net.ts";
import { espruinoNumberToString } from "./number-format.ts";
import { installPins, type AnalogSource } from "./pins.ts";
import { createProcess } from "./process.ts";
import type { SimBoardProfile } from "./profile.ts";
import { Sandbox } from "./sandbox.ts";
import { installSerial, SimSerialPorts } from "./serial.ts";
import { createSPIObject, SimSPIBus } from "./spi.ts";
import { createStorageModule } from "./storage.ts";
import { installTimers } from "./timers.ts";
import { Watchdog } from "./watchdog.ts";
import { createWifiModule } from "./wifi.ts";

/**
 * The modules require() finds on the simulated interpreter, as process.env.MODULES names them to
 * upload tools: a name missing there makes the tools fetch the module and prepend its loader.
 */
export const BUILT_IN_MODULES = ["net", "Storage", "Wifi", "crypto"] as const;
type BuiltInModule = (typeof BUILT_IN_MODULES)[number];

/**
 * One simulated board running the firmware bundle: a sandbox per boot, the Espruino API on the
 * shared virtual clock, flash and buses that survive reboots. Errors the firmware throws never reach
 * the host: they are printed as "Uncaught ...", logged in `errors` and emitted, and the board keeps
 * running its other callbacks, as the interpreter does.
 */

export interface SimBoardOptions {
  /** The compiled firmware bundle (one ES5 script). */
  code: string;
  profile: SimBoardProfile;
  /** getSerial(). */
  serial: string;
  clock: VirtualClock;
  /** Storage flash; pass the same one to a new SimBoard to keep its files. */
  flash?: SimFlash;
  /** The board's network (link faults, address routing). */
  network?: SimNetwork;
  /** Estimate JsVars as for a program saved to flash, whose function code stays in flash (see jsvars.ts). */
  codeInFlash?: boolean;
  /**
   * process.memory() estimates JsVars afresh at most this often (virtual seconds) and repeats the
   * last figures in between; the estimate walks the firmware's whole heap, which dominates a long
   * fast run. Default 0: every call. board.memory() always estimates afresh.
   */
  memoryRefresh_s?: number;
}

export interface BoardError {
  time_s: number;
  name: string;
  message: string;
  /** Where it was thrown: refused at load, the bundle's top level, a callback, an unhandled rejection. */
  where: "load" | "boot" | "callback" | "promise";
  stack?: string;
}

export interface BoardReboot {
  time_s: number;
  reason: "host" | "watchdog" | "E.reboot" | "brown-out";
}

export interface BoardEvents {
  output: [line: string];
  uncaught: [error: BoardError];
  reboot: [reboot: BoardReboot];
}

/** From a reset (watchdog, E.reboot) to the bundle running again: an ESP32 takes about this long. */
const RESET_TIME_s = 1;
/** Console lines kept in `output`; older lines are dropped (listeners still see every line). */
const MAX_OUTPUT_LINES = 10_000;

interface Boot {
  readonly host: BoardHost;
  readonly sandbox: Sandbox;
  readonly meter: JsVarMeter;
  readonly e: EspruinoE;
  readonly watchdog: Watchdog;
  readonly shutdown: (() => void)[];
  readonly flags: Set<ErrorFlag>;
}

export class SimBoard extends EventEmitter<BoardEvents> {
  readonly profile: SimBoardProfile;
  readonly serial: string;
  readonly clock: VirtualClock;
  readonly flash: SimFlash;
  readonly network: SimNetwork;
  /** The board's own clock; it keeps running through reboots, as a real-time clock does. */
  readonly time: BoardTime;
  readonly output: string[] = [];
  readonly errors: BoardError[] = [];
  readonly reboots: BoardReboot[] = [];
  /** The host's ends of the board's serial devices (USB, Serial1, Bluetooth); they outlive reboots. */
  readonly serialPorts = new SimSerialPorts();

  private readonly code: string;
  private readonly codeInFlash: boolean;
  private readonly memoryRefresh_s: number;
  private refusal: LoadRefusal | null | undefined;
  private readonly i2cBuses = new Map<string, SimI2CBus>();
  private readonly spiBuses = new Map<string, SimSPIBus>();
  private readonly analog = new Map<string, AnalogSource>();
  private current: Boot | undefined;
  private closed = false;
  private firmwareDepth = 0;
  private resetRequested: BoardReboot["reason"] | undefined;
  private peakUsage = 0;

  constructor(options: SimBoardOptions) {
    super();
    this.code = options.code;
    this.codeInFlash = options.codeInFlash === true;
    this.memoryRefresh_s = options.memoryRefresh_s ?? 0;
    this.profile = options.profile;
    this.serial = options.serial;
    this.clock = options.clock;
    this.flash = options.flash ?? new SimFlash(options.profile.storageBytes, options.profile.flashPageBytes);
    this.network = options.network ?? new SimNetwork();
    this.time = new BoardTime(options.clock);
    for (const bus of options.profile.i2c ?? []) this.i2cBuses.set(bus.name, new SimI2CBus(bus.name, bus.scl, bus.sda));
    for (const bus of options.profile.spi ?? []) this.spiBuses.set(bus.name, new SimSPIBus(bus.name));
  }

  /** Starts the firmware: a fresh sandbox, the API, then the bundle's top level. */
  boot(): void {
    if (this.closed) throw new Error(`board ${this.serial} is closed; make a new SimBoard (pass its flash to keep the files)`);
    if (this.current !== undefined) throw new Error(`board ${this.serial} is already running; use reboot() to restart it`);
    this.start();
  }

  /** Restarts at once, as a reset from the host would: timers and sockets go, flash stays. */
  reboot(): void {
    this.record({ time_s: this.clock.now_s(), reason: "host" });
    this.stop();
    this.boot();
  }

  /**
   * The supply dips below the brown-out threshold: the board goes down now, as a chip reset does,
   * and runs the bundle again `off_s` later (at least the reset time). Flash survives; RAM does not.
   */
  brownOut(off_s = RESET_TIME_s): void {
    if (this.closed) throw new Error(`board ${this.serial} is closed; a brown-out needs a running board`);
    this.reset("brown-out", Math.max(RESET_TIME_s, off_s));
  }

  /** Stops the board for good and releases its sockets and timers. */
  close(): void {
    this.stop();
    this.clock.clearOwner(this);
    this.closed = true;
  }

  running(): boolean {
    return this.current !== undefined;
  }

  /** The I2C bus of that name, to attach device twins to. */
  i2c(name: string): SimI2CBus {
    const bus = this.i2cBuses.get(name);
    if (bus === undefined) throw new Error(`board ${this.profile.id} has no I2C bus "${name}" (its profile lists: ${[...this.i2cBuses.keys()].join(", ") || "none"})`);
    return bus;
  }

  spi(name: string): SimSPIBus {
    const bus = this.spiBuses.get(name);
    if (bus === undefined) throw new Error(`board ${this.profile.id} has no SPI bus "${name}" (its profile lists: ${[...this.spiBuses.keys()].join(", ") || "none"})`);
    return bus;
  }

  /** Sets what analogRead(pin) returns (0 to 1 of full scale) as a function of virtual time. */
  setAnalog(pin: string, source: AnalogSource): void {
    this.analog.set(pin, source);
  }

  /**
   * Runs code in the running firmware's global scope, as if typed at the interpreter's console, and
   * returns its value (objects stay in the board's realm). Errors are thrown to the caller.
   */
  evaluate(code: string): unknown {
    const boot = this.current;
    if (boot === undefined) throw new Error(`board ${this.serial} is not running; boot() it first`);
    this.firmwareDepth++;
    try {
      return boot.sandbox.run(code, `${this.profile.id}-${this.serial}-console.js`);
    } finally {
      this.firmwareDepth--;
      this.applyRequestedReset();
    }
  }

  /** Samples the JsVar estimate now (also done by process.memory()). */
  memory(): JsVarUsage & { peak: number } {
    const boot = this.current;
    if (boot === undefined) return { usage: 0, total: this.profile.jsvars, peak: this.peakUsage };
    const sample = boot.meter.sample();
    this.noteMemory(boot, sample.usage, sample.total);
    return { ...sample, peak: this.peakUsage };
  }

  private start(): void {
    const owner = {};
    const shutdown: (() => void)[] = [];
    const rootSources: (() => Iterable<unknown>)[] = [];
    const flags = new Set<ErrorFlag>();
    const free = new Set<object>();
    const baseline = new Map<string, unknown>();
    let boot: Boot;

    const sandbox = new Sandbox({
      now_ms: () => this.time.now_s() * 1000,
      formatNumber: espruinoNumberToString,
      defer: (fn) => host.after(0, () => host.invoke(fn, undefined, [])),
      unhandledRejection: (reason) => this.report(reason, "promise"),
    });
    const host: BoardHost = {
      realm: sandbox.realm,
      clock: this.clock,
      time: this.time,
      owner,
      profile: this.profile,
      serial: this.serial,
      alive: () => this.current === boot,
      invoke: (fn, thisArg, args) => this.invoke(boot, fn, thisArg, args),
      after: (delay_s, work) => {
        this.clock.setTimeout(owner, () => {
          if (host.alive()) work();
        }, delay_s);
      },
      print: (text) => this.print(text),
      raiseErrorFlag: (flag) => {
        if (flags.has(flag)) return;
        flags.add(flag);
        host.after(0, () => boot.e.emit("errorFlag", [sandbox.realm.array([...flags])]));
      },
      addRoots: (roots) => void rootSources.push(roots),
      onShutdown: (cleanup) => void shutdown.push(cleanup),
    };
    const meter = new JsVarMeter(this.profile.jsvars, () => ({
      global: sandbox.realm.global,
      baseline,
      extra: rootSources.flatMap((roots) => [...roots()]),
      free,
      codeInFlash: this.codeInFlash,
    }));
    const watchdog = new Watchdog(this.clock, owner, () => this.reset("watchdog"));
    const e = createE(host, {
      enableWatchdog: (period_s, autoKick) => watchdog.enable(period_s, autoKick),
      kickWatchdog: () => watchdog.kick(),
      reboot: () => {
        this.resetRequested = "E.reboot";
      },
      takeErrorFlags: () => {
        const taken = [...flags];
        flags.clear();
        return taken;
      },
      sizeOf: (value) => estimateJsVars({ global: {}, baseline: new Map(), extra: [value], free }),
    });
    boot = { host, sandbox, meter, e, watchdog, shutdown, flags };
    this.current = boot;

    const define = (name: string, value: unknown) => sandbox.define(name, value);
    const addFree = (value: unknown) => {
      if ((typeof value !== "object" && typeof value !== "function") || value === null) return;
      free.add(value);
      for (const name of Object.getOwnPropertyNames(value)) {
        const inner = Object.getOwnPropertyDescriptor(value, name)?.value as unknown;
        if ((typeof inner === "object" && inner !== null) || typeof inner === "function") free.add(inner);
      }
    };
    installConsole(host, define);
    installTimers(host, define);
    installPins(host, this.analog, define);
    installSerial(host, this.serialPorts, define);
    define("getSerial", () => this.serial);
    define("E", e.object);
    let lastSample: { at_s: number; usage: JsVarUsage } | undefined;
    const processMeter = {
      sample: (): JsVarUsage => {
        const now_s = this.clock.now_s();
        if (lastSample === undefined || now_s - lastSample.at_s >= this.memoryRefresh_s) lastSample = { at_s: now_s, usage: meter.sample() };
        return lastSample.usage;
      },
    };
    define("process", createProcess(host, processMeter, (usage, total) => this.noteMemory(boot, usage, total)));
    const modules: Record<BuiltInModule, () => object> = {
      net: () => createNetModule(host, this.network),
      Storage: () => createStorageModule(sandbox.realm, this.flash),
      Wifi: () => createWifiModule(host, this.network),
      crypto: () => createCryptoModule(sandbox.realm),
    };
    define("require", createRequire(host, modules, addFree));
    for (const bus of this.i2cBuses.values()) define(bus.name, createI2CObject(host, bus));
    for (const bus of this.spiBuses.values()) define(bus.name, createSPIObject(host, bus));
    for (const value of sandbox.realm.builtins()) free.add(value);
    const global = sandbox.realm.global;
    for (const name of Object.getOwnPropertyNames(global)) {
      const value = Object.getOwnPropertyDescriptor(global, name)?.value as unknown;
      baseline.set(name, value);
      addFree(value);
    }

    this.refusal ??= refuseBundle(this.code) ?? null;
    if (this.refusal !== null) {
      this.report(sandbox.realm.error(this.refusal.name, this.refusal.message), "load");
      return;
    }
    this.firmwareDepth++;
    try {
      sandbox.run(this.code, `${this.profile.id}-${this.serial}.js`);
    } catch (err) {
      this.report(err, "boot");
    } finally {
      this.firmwareDepth--;
    }
    this.applyRequestedReset();
  }

  private stop(): void {
    const boot = this.current;
    if (boot === undefined) return;
    this.current = undefined;
    this.clock.clearOwner(boot.host.owner);
    for (const cleanup of boot.shutdown) cleanup();
  }

  /** A reset from inside (watchdog, E.reboot) or a brown-out: the board goes down now and runs again `down_s` later. */
  private reset(reason: BoardReboot["reason"], down_s = RESET_TIME_s): void {
    this.record({ time_s: this.clock.now_s(), reason });
    this.stop();
    this.clock.setTimeout(this, () => {
      if (!this.closed && this.current === undefined) this.start();
    }, down_s);
  }

  private invoke(boot: Boot, fn: unknown, thisArg: unknown, args: readonly unknown[]): void {
    if (this.current !== boot) return;
    this.firmwareDepth++;
    try {
      if (typeof fn !== "function") throw boot.sandbox.realm.error("TypeError", `callback is not a function (got ${typeof fn})`);
      Reflect.apply(fn, thisArg, args);
    } catch (err) {
      this.report(err, "callback");
    } finally {
      this.firmwareDepth--;
    }
    this.applyRequestedReset();
  }

  private applyRequestedReset(): void {
    if (this.firmwareDepth > 0 || this.resetRequested === undefined) return;
    const reason = this.resetRequested;
    this.resetRequested = undefined;
    this.reset(reason);
  }

  private noteMemory(boot: Boot, usage: number, total: number): void {
    this.peakUsage = Math.max(this.peakUsage, usage);
    if (usage > total) boot.host.raiseErrorFlag("MEMORY");
  }

  private report(err: unknown, where: BoardError["where"]): void {
    const described = describeThrown(err);
    const error: BoardError = { time_s: this.clock.now_s(), where, ...described };
    this.errors.push(error);
    this.print(described.name === "" ? `Uncaught ${described.message}` : `Uncaught ${described.name}: ${described.message}`);
    this.emit("uncaught", error);
  }

  private record(reboot: BoardReboot): void {
    this.reboots.push(reboot);
    this.emit("reboot", reboot);
  }

  private print(text: string): void {
    for (const line of text.split("\n")) {
      this.output.push(line);
      if (this.output.length > MAX_OUTPUT_LINES) this.output.shift();
      this.emit("output", line);
    }
  }
}

/** Name and message of anything thrown; the sandbox's Errors are not instanceof the host's. */
function describeThrown(err: unknown): { name: string; message: string; stack?: string } {
  if (typeof err === "object" && err !== null && typeof (err as Error).message === "string") {
    const { name, message, stack } = err as Error;
    return { name: typeof name === "string" ? name : "Error", message, ...(typeof stack === "string" ? { stack } : {}) };
  }
  return { name: "", message: typeof err === "string" ? JSON.stringify(err) : String(err) };
}
