import { join } from "node:path";
import type { Plugin } from "rollup";
import { REPO_ROOT } from "./repo-root.ts";

const MODULE_ID = "cellrig:alarms";
const RESOLVED_ID = "\0cellrig:alarms";
export const ALARMS_FILE = join(REPO_ROOT, "firmware/alarms/alarms.ts");

/** A rig's bundle carries the alarm engine only when the rig has alarm rules; a build without a rig (a test entry) always does. */
export function wantsAlarms(config: unknown): boolean {
  if (typeof config !== "object" || config === null || !Array.isArray((config as { channels?: unknown }).channels)) return true;
  const alarms = (config as { alarms?: unknown }).alarms;
  return Array.isArray(alarms) && alarms.length > 0;
}

/** Provides the virtual module `cellrig:alarms` (typed in firmware/alarms/alarms-module.d.ts): the Alarms class, or undefined without one. */
export function alarmsPlugin(included: boolean): Plugin {
  const source = included ? `export { Alarms } from ${JSON.stringify(ALARMS_FILE)};\n` : "export var Alarms = undefined;\n";
  return {
    name: "cellrig-alarms",
    resolveId: (id) => (id === MODULE_ID ? RESOLVED_ID : null),
    load: (id) => (id === RESOLVED_ID ? source : null),
  };
}
