import type { BoardHost } from "./host.ts";
import type { SimNetwork } from "./net.ts";

/**
 * `require("Wifi")`: joining the access point takes a short while of virtual time, then succeeds
 * while the simulated network is reachable and reports an error string otherwise.
 */

const ASSOCIATION_DELAY_s = 1.5;
const NO_ACCESS_POINT = "no AP found";

export function createWifiModule(host: BoardHost, network: SimNetwork): object {
  const { realm } = host;
  const callLater = (callback: unknown, args: unknown[]) => {
    if (typeof callback === "function") host.after(0, () => host.invoke(callback, undefined, args));
  };
  return realm.object({
    connect(_ssid: unknown, _options: unknown, callback?: unknown): void {
      host.after(ASSOCIATION_DELAY_s, () => {
        if (typeof callback === "function") host.invoke(callback, undefined, [network.reachable() ? null : NO_ACCESS_POINT]);
      });
    },
    disconnect(callback?: unknown): void {
      callLater(callback, []);
    },
  });
}
