import type { TimerId } from "./clock.ts";
import type { BoardHost } from "./host.ts";

/**
 * setTimeout, setInterval, clearTimeout, clearInterval, changeInterval and getTime() on the virtual
 * clock. As on Espruino (jswrap_interactive.c): ids are small integers, clearing an id that is not
 * (or no longer) queued throws "Unknown Timeout"/"Unknown Interval", clearTimeout() with no argument
 * clears every timer, and clearTimeout(undefined) throws rather than silently clearing them all.
 */

/** The virtual clock cannot run a zero-period interval; the interpreter cannot either, in practice. */
const MIN_INTERVAL_ms = 1;

interface Entry {
  clockId: TimerId;
  callback: unknown;
  args: unknown[];
}

export function installTimers(host: BoardHost, define: (name: string, value: unknown) => void): void {
  const { realm, clock, owner, time } = host;
  const entries = new Map<number, Entry>();
  let nextId = 1;
  host.addRoots(() => [...entries.values()].flatMap((e) => [e.callback, ...e.args]));

  const toCallback = (fn: unknown): unknown => {
    if (typeof fn === "function") return fn;
    if (typeof fn === "string") return () => (realm.global.eval as (code: string) => unknown)(fn);
    throw realm.error("Error", "Function or String not supplied!");
  };
  const toSeconds = (ms: unknown, minimum_ms: number) => {
    const value = Number(ms);
    return Math.max(minimum_ms, Number.isFinite(value) ? value : 0) / 1000;
  };

  const start = (id: number, entry: Omit<Entry, "clockId">, delay_s: number, repeat: boolean) => {
    const fire = () => {
      if (!repeat) entries.delete(id);
      host.invoke(entry.callback, undefined, entry.args);
    };
    const virtual_s = time.toVirtual_s(delay_s);
    const clockId = repeat ? clock.setInterval(owner, fire, virtual_s) : clock.setTimeout(owner, fire, virtual_s);
    entries.set(id, { ...entry, clockId });
  };

  const clear = (kind: "Timeout" | "Interval") =>
    function (this: unknown, ...ids: unknown[]): void {
      if (ids.length === 0) {
        for (const entry of entries.values()) clock.clear(entry.clockId);
        entries.clear();
        return;
      }
      const id = ids[0];
      if (id === undefined) throw realm.error("Error", `clear${kind}(undefined) not allowed. Use clear${kind}() instead to clear all timers`);
      const entry = entries.get(Number(id));
      if (entry === undefined) throw realm.error("Error", `Unknown ${kind}`);
      clock.clear(entry.clockId);
      entries.delete(Number(id));
    };

  define("setTimeout", (fn: unknown, ms?: unknown, ...args: unknown[]) => {
    const id = nextId++;
    start(id, { callback: toCallback(fn), args }, toSeconds(ms, 0), false);
    return id;
  });
  define("setInterval", (fn: unknown, ms?: unknown, ...args: unknown[]) => {
    const id = nextId++;
    start(id, { callback: toCallback(fn), args }, toSeconds(ms, MIN_INTERVAL_ms), true);
    return id;
  });
  define("clearTimeout", clear("Timeout"));
  define("clearInterval", clear("Interval"));
  define("changeInterval", (id: unknown, ms: unknown) => {
    const entry = entries.get(Number(id));
    if (entry === undefined) throw realm.error("Error", "Unknown Interval");
    clock.clear(entry.clockId);
    start(Number(id), entry, toSeconds(ms, MIN_INTERVAL_ms), true);
  });
  define("getTime", () => time.now_s());
}
