import build from "cellrig:build";
import type { RigConfig } from "../boards/rig-schema.ts";

/** The file `cellrig flash` writes to the board's Storage; it overrides the configuration built in. */
export const CONFIG_FILE = "cellrig.json";

/** The rig configuration in force: the one written to Storage if any, else the one embedded at build time. */
export function loadConfig(): RigConfig {
  const stored = require("Storage").readJSON(CONFIG_FILE, true);
  return (stored ? stored : build.config) as RigConfig;
}
