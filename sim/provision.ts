import type { SimFlash } from "./runtime/flash.ts";

/** The board's command key file (firmware/auth.ts KEY_FILE); the simulator loads bundles, never firmware sources. */
export const KEY_FILE = "cellrig.key";

/**
 * Writes a file into a simulated board's Storage before it boots, as `cellrig flash` does over the
 * console with require("Storage").write: a JSON value as its text, bytes as they are.
 */
export function writeStorageFile(flash: SimFlash, name: string, content: Uint8Array | object): void {
  const bytes = content instanceof Uint8Array ? content : new Uint8Array(Buffer.from(JSON.stringify(content), "latin1"));
  flash.erase(name);
  const file = flash.create(name, bytes.length, false);
  if (file === undefined) throw new Error(`simulated Storage has no room for ${name} (${bytes.length} bytes)`);
  flash.program(file, 0, bytes);
}
