import { bytesToString, dataToBytes } from "./bytes.ts";
import { crc32 } from "./crc32.ts";
import type { BoardHost, ErrorFlag } from "./host.ts";

/** What E needs from the board beyond its BoardHost. */
export interface EspruinoSystem {
  enableWatchdog(period_s: number, autoKick: boolean): void;
  kickWatchdog(): void;
  reboot(): void;
  /** Returns the flags raised since the last call, and clears them. */
  takeErrorFlags(): ErrorFlag[];
  sizeOf(value: unknown): number;
}

export interface EspruinoE {
  readonly object: object;
  /** Calls the firmware's E.on(event) handlers. */
  emit(event: string, args: readonly unknown[]): void;
}

export function createE(host: BoardHost, system: EspruinoSystem): EspruinoE {
  const { realm } = host;
  const handlers = new Map<string, unknown[]>();
  host.addRoots(() => [...handlers.values()].flat());
  const numbers = (data: unknown, what: string): number[] => {
    if (Array.isArray(data) || ArrayBuffer.isView(data)) return Array.from(data as unknown as ArrayLike<number>, Number);
    throw realm.error("TypeError", `${what}: expected an array or typed array`);
  };

  const object = realm.object({
    toUint8Array(...data: unknown[]): Uint8Array {
      return realm.bytes(dataToBytes(realm, data, "E.toUint8Array data"));
    },
    toString(...data: unknown[]): string {
      return bytesToString(dataToBytes(realm, data, "E.toString data"));
    },
    CRC32(data: unknown): number {
      return crc32(dataToBytes(realm, data, "E.CRC32 data"));
    },
    getSizeOf(value: unknown): number {
      return system.sizeOf(value);
    },
    sum(data: unknown): number {
      return numbers(data, "E.sum").reduce((a, b) => a + b, 0);
    },
    variance(data: unknown, mean: unknown): number {
      const values = numbers(data, "E.variance");
      const m = Number(mean);
      return values.length === 0 ? 0 : values.reduce((a, v) => a + (v - m) * (v - m), 0) / values.length;
    },
    getErrorFlags(): string[] {
      return realm.array(system.takeErrorFlags());
    },
    enableWatchdog(seconds: unknown, autoKick?: unknown): void {
      system.enableWatchdog(Number(seconds), autoKick === undefined || Boolean(autoKick));
    },
    kickWatchdog(): void {
      system.kickWatchdog();
    },
    reboot(): void {
      system.reboot();
    },
    on(event: unknown, fn: unknown): void {
      const list = handlers.get(String(event)) ?? [];
      list.push(fn);
      handlers.set(String(event), list);
    },
  });
  return {
    object,
    emit(event, args) {
      for (const fn of handlers.get(event) ?? []) host.invoke(fn, object, [...args]);
    },
  };
}
