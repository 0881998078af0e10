import { SimFlash } from "./runtime/flash.ts";
import type { SimBoardProfile } from "./runtime/profile.ts";

/** The board's command key file (firmware/auth.ts KEY_FILE); the simulator loads bundles, never firmware sources. */
export const KEY_FILE = "cellrig.key";
/** The board's stored configuration (firmware/config.ts CONFIG_FILE), which overrides the one built in. */
export const CONFIG_FILE = "cellrig.json";

/** Files for a board's Storage by name: bytes as they are, anything else as its JSON text. */
export type StorageFiles = Record<string, Uint8Array | object>;

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

/** A board's Storage holding `files`, as `cellrig flash` leaves it. */
export function provisionedFlash(profile: SimBoardProfile, files: StorageFiles): SimFlash {
  const flash = new SimFlash(profile.storageBytes, profile.flashPageBytes);
  for (const [name, content] of Object.entries(files)) writeStorageFile(flash, name, content);
  return flash;
}
