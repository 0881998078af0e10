import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * The one place that touches Nordic's nrf-device-lib-js (npm @nordicsemiconductor/nrf-device-lib-js,
 * an optional dependency). Its install downloads a native library from Nordic's website; offline
 * that fails and npm skips the package, or leaves it without the native part, in which case its
 * functions silently do nothing. So it is loaded only when needed, and only once the native module
 * file is found; otherwise the caller gets the reason and can fall back to nrfutil.
 */

export const PACKAGE = "@nordicsemiconductor/nrf-device-lib-js";

/** The part of the library's API used here. */
export interface NrfDeviceLib {
  createContext(): unknown;
  enumerate(context: unknown, traits: Record<string, boolean>): Promise<NrfDevice[]>;
  firmwareProgram(
    context: unknown,
    deviceId: number,
    input: "NRFDL_FW_FILE",
    format: NrfFirmwareFormat,
    path: string,
    done: (err?: Error) => void,
    progress: (update: { progressJson?: { progressPercentage?: number; message?: string } }) => void,
  ): unknown;
  deviceControlReset(context: unknown, deviceId: number): Promise<unknown>;
}

export interface NrfDevice {
  id: number;
  serialNumber?: string;
  traits?: Record<string, boolean>;
}

export type NrfFirmwareFormat = "NRFDL_FW_INTEL_HEX" | "NRFDL_FW_SDFU_ZIP";

export type NrfDeviceLibLoad = { ok: true; lib: NrfDeviceLib } | { ok: false; reason: string };

/** Loads the library if it and its native module are installed. `from` is where to resolve it from. */
export function loadNrfDeviceLib(from: string = import.meta.url): NrfDeviceLibLoad {
  const require = createRequire(from);
  let entry: string;
  try {
    entry = require.resolve(PACKAGE);
  } catch {
    return { ok: false, reason: `${PACKAGE} is not installed` };
  }
  const root = packageRoot(entry);
  if (root === undefined || findNativeModule(root) === undefined) {
    return { ok: false, reason: `${PACKAGE} is installed without its native library (its install downloads it from Nordic's website, which fails offline)` };
  }
  const lib = require(PACKAGE) as Partial<NrfDeviceLib>;
  const missing = (["createContext", "enumerate", "firmwareProgram", "deviceControlReset"] as const).filter((name) => typeof lib[name] !== "function");
  if (missing.length > 0) return { ok: false, reason: `${PACKAGE} does not export ${missing.join(", ")} (an unsupported version?)` };
  return { ok: true, lib: lib as NrfDeviceLib };
}

export interface ProgramOptions {
  /** Intel HEX (through the board's J-Link) or a DFU zip (through its bootloader). */
  firmware: string;
  format: NrfFirmwareFormat;
  /** Which device, when more than one is connected. */
  serialNumber?: string;
  onProgress?: (percent: number, message: string) => void;
}

/** Programs one connected nRF device and, for a HEX file, resets it so the new firmware starts. Returns its serial number. */
export async function programWithDeviceLib(lib: NrfDeviceLib, options: ProgramOptions): Promise<string> {
  const context = lib.createContext();
  if (context === undefined || context === null) {
    throw new Error(`${PACKAGE} returned no context: its native library is not working (reinstall it with internet access, or use nrfutil)`);
  }
  const hex = options.format === "NRFDL_FW_INTEL_HEX";
  const traits: Record<string, boolean> = hex ? { jlink: true } : { nordicDfu: true };
  const devices = await lib.enumerate(context, traits);
  const how = hex ? "with a J-Link debugger (connect the board's debug USB port)" : "in DFU mode (connect the board's nRF USB port and start its bootloader)";
  const candidates = options.serialNumber === undefined ? devices : devices.filter((d) => d.serialNumber === options.serialNumber);
  if (candidates.length === 0) {
    const which = options.serialNumber === undefined ? "no nRF device" : `no nRF device with serial number ${options.serialNumber}`;
    const seen = devices.length > 0 ? ` (found: ${devices.map((d) => d.serialNumber ?? `id ${d.id}`).join(", ")})` : "";
    throw new Error(`${which} ${how} was found${seen}`);
  }
  if (candidates.length > 1) {
    throw new Error(`${candidates.length} nRF devices ${how} are connected (${candidates.map((d) => d.serialNumber ?? `id ${d.id}`).join(", ")}): choose one with --serial`);
  }
  const device = candidates[0]!;
  await new Promise<void>((resolve, reject) => {
    lib.firmwareProgram(
      context,
      device.id,
      "NRFDL_FW_FILE",
      options.format,
      options.firmware,
      (err) => (err ? reject(new Error(`programming ${options.firmware} failed: ${err.message}`)) : resolve()),
      (update) => {
        const percent = update.progressJson?.progressPercentage;
        if (percent !== undefined) options.onProgress?.(percent, update.progressJson?.message ?? "");
      },
    );
  });
  if (hex) await lib.deviceControlReset(context, device.id);
  return device.serialNumber ?? `id ${device.id}`;
}

function packageRoot(entry: string): string | undefined {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === PACKAGE) return dir;
  }
  return undefined;
}

/** The compiled addon (a .node file) anywhere in the package outside its own node_modules. */
function findNativeModule(dir: string): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== "node_modules") {
      const found = findNativeModule(join(dir, entry.name));
      if (found !== undefined) return found;
    } else if (entry.isFile() && entry.name.endsWith(".node")) {
      return join(dir, entry.name);
    }
  }
  return undefined;
}
