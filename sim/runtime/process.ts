import type { BoardHost } from "./host.ts";
import type { JsVarMeter } from "./jsvars.ts";

export const ESPRUINO_VERSION = "2v29";

/** `process`: env as the interpreter reports it, and memory() from the JsVar estimate. */
export function createProcess(host: BoardHost, meter: Pick<JsVarMeter, "sample">, onMemorySample: (usage: number, total: number) => void): object {
  const { realm } = host;
  return realm.object({
    version: ESPRUINO_VERSION,
    env: realm.object({
      VERSION: ESPRUINO_VERSION,
      BOARD: host.profile.id,
      SERIAL: host.serial,
      STORAGE: host.profile.storageBytes,
    }),
    memory(): object {
      const { usage, total } = meter.sample();
      onMemorySample(usage, total);
      return realm.object({ free: Math.max(0, total - usage), usage, total, history: 0, gc: 0, gctime: 0, blocksize: 14 });
    },
  });
}
