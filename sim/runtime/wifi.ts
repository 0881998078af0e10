import type { BoardHost } from "./host.ts";
import type { SimNetwork } from "./net.ts";

/**
 * `require("Wifi")`: joining the access point takes a short while of virtual time, then succeeds
 * while the simulated network is reachable and reports an error string otherwise. A network given
 * an access point (setAccessPoint) admits only its SSID and password, with the reasons the ESP32
 * and ESP8266 ports report (`no_ap_found`, `auth_fail`); without one, any SSID joins.
 */

const ASSOCIATION_DELAY_s = 1.5;
const NO_ACCESS_POINT = "no AP found";

export interface AccessPoint {
  ssid: string;
  password: string;
  /** Join attempts so far, each with the SSID and password it gave. */
  attempts: { ssid: string; password: string }[];
}

const accessPoints = new WeakMap<SimNetwork, AccessPoint>();

/** The access point a board's network offers from now on; its `attempts` record every join. */
export function setAccessPoint(network: SimNetwork, ssid: string, password: string): AccessPoint {
  const ap = { ssid, password, attempts: [] };
  accessPoints.set(network, ap);
  return ap;
}

function joinError(network: SimNetwork, ssid: string, password: string): string | null {
  if (!network.reachable()) return NO_ACCESS_POINT;
  const ap = accessPoints.get(network);
  if (ap === undefined) return null;
  ap.attempts.push({ ssid, password });
  if (ssid !== ap.ssid) return "no_ap_found";
  return password === ap.password ? null : "auth_fail";
}

export function createWifiModule(host: BoardHost, network: SimNetwork): object {
  const { realm } = host;
  const callLater = (callback: unknown, args: unknown[]) => {
    if (typeof callback === "function") host.after(0, () => host.invoke(callback, undefined, args));
  };
  return realm.object({
    connect(ssid: unknown, options: unknown, callback?: unknown): void {
      const password = typeof options === "object" && options !== null ? (options as { password?: unknown }).password : undefined;
      host.after(ASSOCIATION_DELAY_s, () => {
        if (typeof callback === "function") host.invoke(callback, undefined, [joinError(network, String(ssid), password === undefined ? "" : String(password))]);
      });
    },
    disconnect(callback?: unknown): void {
      callLater(callback, []);
    },
  });
}
