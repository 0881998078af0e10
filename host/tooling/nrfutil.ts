import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** Nordic's nrfutil command line, the alternative to nrf-device-lib-js that needs no Node addon. */

/** The nrfutil executable on PATH, if any. */
export function findNrfutil(env: NodeJS.ProcessEnv): string | undefined {
  const names = process.platform === "win32" ? ["nrfutil.exe", "nrfutil.cmd"] : ["nrfutil"];
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not in this folder
      }
    }
  }
  return undefined;
}

export interface NrfutilProgramOptions {
  firmware: string;
  serialNumber?: string;
  /** Reset afterwards: needed after J-Link programming; a DFU bootloader restarts by itself. */
  reset: boolean;
  /** Lines nrfutil prints. */
  onOutput?: (line: string) => void;
}

/**
 * `nrfutil device program --firmware <file> [--serial-number <n>]`, then `nrfutil device reset` if
 * asked, so the interpreter starts (nRF Util's device command picks J-Link or DFU from the file and
 * the connected device).
 */
export async function programWithNrfutil(nrfutil: string, options: NrfutilProgramOptions): Promise<void> {
  const select = options.serialNumber === undefined ? [] : ["--serial-number", options.serialNumber];
  await run(nrfutil, ["device", "program", "--firmware", options.firmware, ...select], options.onOutput);
  if (options.reset) await run(nrfutil, ["device", "reset", ...select], options.onOutput);
}

function run(command: string, args: string[], onOutput: ((line: string) => void) | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const tail: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split(/\r?\n/)) {
        if (line.trim() === "") continue;
        tail.push(line);
        if (tail.length > 5) tail.shift();
        onOutput?.(line);
      }
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", (err) => reject(new Error(`${command} could not be started: ${err.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(" ")} failed (exit ${code})${tail.length > 0 ? `: ${tail.join(" / ")}` : ""}`));
    });
  });
}
