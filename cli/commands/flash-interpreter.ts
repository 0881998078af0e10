import { existsSync } from "node:fs";
import { extname, resolve } from "node:path";
import { boardIds, loadBoardProfile } from "../../boards/profile.ts";
import { loadNrfDeviceLib, programWithDeviceLib, type NrfDeviceLibLoad, type NrfFirmwareFormat } from "../../host/tooling/nrf-device-lib.ts";
import { findNrfutil, programWithNrfutil } from "../../host/tooling/nrfutil.ts";
import { parseFlags } from "../args.ts";
import { UsageError, type Command } from "../command.ts";

/** What the command reaches outside itself, so tests can stand in for the library and PATH. */
export interface FlashInterpreterDeps {
  loadDeviceLib(): NrfDeviceLibLoad;
  env: NodeJS.ProcessEnv;
  print(line: string): void;
}

const FORMATS: Record<string, NrfFirmwareFormat> = { ".hex": "NRFDL_FW_INTEL_HEX", ".zip": "NRFDL_FW_SDFU_ZIP" };

export function makeFlashInterpreter(deps: FlashInterpreterDeps): Command {
  return {
    name: "flash-interpreter",
    summary: "program the Espruino interpreter onto an nRF52 board (nrf-device-lib-js, else nrfutil)",
    usage: `usage: cellrig flash-interpreter --board <nrf52 board> --firmware <file.hex|file.zip> [--serial <n>]

  --board <id>        an nRF52 board profile (${nrf52Boards().join(", ") || "none found"})
  --firmware <file>   the Espruino build for that board: Intel HEX through the board's J-Link,
                      or a DFU zip through its bootloader
  --serial <n>        the device's serial number, when more than one is connected

Uses Nordic's nrf-device-lib-js if it is installed with its native library, else Nordic's
nrfutil command line ("nrfutil device program") from PATH.`,
    async run(argv) {
      const { values } = parseFlags(argv, { board: { type: "string" }, firmware: { type: "string" }, serial: { type: "string" } });
      if (values.board === undefined) throw new UsageError(`--board is required (one of: ${nrf52Boards().join(", ")})`);
      if (values.firmware === undefined) throw new UsageError("--firmware is required: the Espruino .hex or DFU .zip for the board");
      const board = loadBoardProfile(values.board);
      if (!isNrf52(board.mcu)) throw new UsageError(`board ${board.id} (${board.mcu}) is not an nRF52 board: flash-interpreter programs ${nrf52Boards().join(", ")}`);
      const firmware = resolve(values.firmware);
      const format = FORMATS[extname(firmware).toLowerCase()];
      if (format === undefined) throw new UsageError(`--firmware ${values.firmware}: expected an Intel HEX (.hex) or DFU package (.zip)`);
      if (!existsSync(firmware)) throw new Error(`firmware file ${firmware} does not exist`);
      const serial = values.serial === undefined ? {} : { serialNumber: values.serial };

      const loaded = deps.loadDeviceLib();
      if (loaded.ok) {
        deps.print(`programming ${board.id} with ${firmware} (nrf-device-lib-js)`);
        let shown = -1;
        const device = await programWithDeviceLib(loaded.lib, {
          firmware,
          format,
          ...serial,
          onProgress: (percent, message) => {
            const tenth = Math.floor(percent / 10);
            if (tenth <= shown) return;
            shown = tenth;
            deps.print(`${message || "programming"} ${tenth * 10}%`);
          },
        });
        deps.print(`done: device ${device} runs the new interpreter`);
        return 0;
      }

      const nrfutil = findNrfutil(deps.env);
      const problem = `nrf-device-lib-js cannot be used: ${loaded.reason}. The alternative is Nordic's nrfutil command line ("nrfutil device program")`;
      if (nrfutil === undefined) throw new Error(`${problem}, which is not on PATH either: install nrfutil with its device command and run this again`);
      deps.print(`${problem}: using ${nrfutil}`);
      await programWithNrfutil(nrfutil, { firmware, ...serial, reset: format === "NRFDL_FW_INTEL_HEX", onOutput: (line) => deps.print(`  | ${line}`) });
      deps.print(`done: ${board.id} runs the new interpreter`);
      return 0;
    },
  };
}

export const flashInterpreter = makeFlashInterpreter({
  loadDeviceLib: () => loadNrfDeviceLib(),
  env: process.env,
  print: (line) => void process.stdout.write(`${line}\n`),
});

function isNrf52(mcu: string): boolean {
  return /^nrf52/i.test(mcu);
}

function nrf52Boards(): string[] {
  return boardIds().filter((id) => {
    try {
      return isNrf52(loadBoardProfile(id).mcu);
    } catch {
      return false;
    }
  });
}
