import { join } from "node:path";
import type { Plugin } from "rollup";
import { REPO_ROOT } from "./repo-root.ts";

const MODULE_ID = "cellrig:transport";
const RESOLVED_ID = "\0cellrig:transport";

/** The link module of each board transport: boards with a TCP stack speak MQTT, the others frames to a gateway. */
export const TRANSPORT_FILES: Readonly<Record<string, string>> = {
  tcp: "firmware/transport/mqtt-link.ts",
  wifi: "firmware/transport/mqtt-link.ts",
  "usb-serial": "firmware/transport/serial-link.ts",
  "ble-uart": "firmware/transport/serial-link.ts",
};

/** The link module a board's bundle carries; a board without a transport (a test entry's) gets MQTT. */
export function transportFile(board: Record<string, unknown>): string {
  const transport = board.transport === undefined ? "tcp" : String(board.transport);
  const file = TRANSPORT_FILES[transport];
  if (file === undefined) throw new Error(`board transport "${transport}" has no firmware link (known: ${Object.keys(TRANSPORT_FILES).join(", ")})`);
  return join(REPO_ROOT, file);
}

/** Provides the virtual module `cellrig:transport` (typed in firmware/transport/transport-module.d.ts): the board's link module, re-exported. */
export function transportPlugin(file: string): Plugin {
  const source = `export { openLink } from ${JSON.stringify(file)};\n`;
  return {
    name: "cellrig-transport",
    resolveId: (id) => (id === MODULE_ID ? RESOLVED_ID : null),
    load: (id) => (id === RESOLVED_ID ? source : null),
  };
}
