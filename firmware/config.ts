import build from "cellrig:build";
import type { RigConfig } from "../boards/rig-schema.ts";

/** The file `cellrig flash` writes to the board's Storage; it overrides the configuration built in. */
export const CONFIG_FILE = "cellrig.json";

/** The rig configuration as stored on the board: `cellrig flash` adds the passwords, which no rig file holds. */
export type BoardConfig = RigConfig & {
  broker: RigConfig["broker"] & { password?: string };
  wifi?: { ssid: string; password?: string };
};

/** The rig configuration in force: the one written to Storage if any, else the one embedded at build time. */
export function loadConfig(): BoardConfig {
  const stored = require("Storage").readJSON(CONFIG_FILE, true);
  return (stored ? stored : build.config) as BoardConfig;
}

/** Writes the configuration in force to Storage, so it is the one the next boot loads; "" or why it failed. */
export function saveConfig(config: BoardConfig): string {
  return require("Storage").writeJSON(CONFIG_FILE, config) ? "" : CONFIG_FILE + " could not be written to Storage (is it full?)";
}
