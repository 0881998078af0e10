import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadBoardProfile } from "../../boards/profile.ts";
import { loadRigConfig } from "../../boards/rig-config.ts";
import { watchBirths } from "../../host/tooling/birth-watch.ts";
import { readSecrets, refusePasswordsIn, withSecrets } from "../../host/tooling/board-secrets.ts";
import { connectEspruino, type EspruinoLink } from "../../host/tooling/espruino-tools.ts";
import { buildFirmware } from "../../scripts/build/bundle.ts";
import { parseFlags } from "../args.ts";
import { UsageError, type Command } from "../command.ts";

const DEFAULT_BIRTH_TIMEOUT_s = 60;
/** The Storage file the firmware reads its configuration from (CONFIG_FILE in firmware/config.ts). */
const CONFIG_FILE = "cellrig.json";

export const flash: Command = {
  name: "flash",
  summary: "build the firmware, upload it to a board (or a simulated board's port), save it, and wait for its birth",
  usage: `usage: cellrig flash --board <id> --config <rig.json> --port <port> [options]

  --board <id>         board profile boards/profiles/<id>.json
  --config <file>      rig configuration; written to the board's Storage as ${CONFIG_FILE}
  --port <port>        serial port (/dev/ttyUSB0, COM3), Bluetooth LE address (aa:bb:cc:dd:ee:ff)
                       or tcp://host:port (a board's Telnet console or a simulator's device port)
  --broker <url>       MQTT broker to watch for the board's birth (default: the rig's broker)
  --ram                run the firmware from RAM only: nothing is saved, a reset loses it
  --secrets <file>     JSON with { "broker": { "password": ... }, "wifi": { "password": ... } };
                       CELLRIG_BROKER_PASSWORD and CELLRIG_WIFI_PASSWORD override it.
                       Passwords never go in the rig file.
  --timeout <s>        how long to wait for the birth (default ${DEFAULT_BIRTH_TIMEOUT_s})
  --verbose            also print what the upload tools and the board say

Uploads with espruino-tools, offline (no module fetching; Bluetooth only for a Bluetooth address).`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      board: { type: "string" },
      config: { type: "string" },
      port: { type: "string" },
      broker: { type: "string" },
      ram: { type: "boolean" },
      secrets: { type: "string" },
      timeout: { type: "string" },
      verbose: { type: "boolean" },
    });
    for (const flag of ["board", "config", "port"] as const) {
      if (values[flag] === undefined) throw new UsageError(`--${flag} is required`);
    }
    const timeout_s = values.timeout === undefined ? DEFAULT_BIRTH_TIMEOUT_s : Number(values.timeout);
    if (!(timeout_s > 0)) throw new UsageError(`--timeout must be a positive number of seconds, got "${values.timeout}"`);
    const step = (line: string) => void process.stdout.write(`${line}\n`);
    const verbose = values.verbose ? (line: string) => void process.stdout.write(`  | ${line}\n`) : undefined;

    const board = loadBoardProfile(values.board!);
    const rigFile = resolve(values.config!);
    refusePasswordsIn(readJsonIfAny(rigFile), `rig configuration ${rigFile}`);
    const config = loadRigConfig(rigFile, board);
    const stored = JSON.stringify(withSecrets(config, readSecrets(values.secrets, process.env)));
    const brokerUrl = values.broker ?? `mqtt://${config.broker.host.includes(":") ? `[${config.broker.host}]` : config.broker.host}:${config.broker.port}`;

    step(`building firmware for ${board.id} with rig "${config.rig}"`);
    const built = await buildFirmware({ board, config });
    step(`built ${built.bytes} bytes, hash ${built.hash}`);

    const births = await watchBirths({ brokerUrl, rig: config.rig, ...(config.board_id === undefined ? {} : { board: config.board_id }), build: built.hash });
    try {
      step(`connecting to ${values.port}`);
      const link = await connectEspruino({ port: values.port!, ...(verbose === undefined ? {} : { log: verbose }) });
      try {
        step(`connected: ${String(link.env.BOARD)} running Espruino ${String(link.env.VERSION)}`);
        await upload(link, built.code, stored, values.ram === true, step);
      } finally {
        await link.close();
      }
      step(`waiting for the birth of ${config.board_id === undefined ? "the board" : `board ${config.board_id}`} on ${brokerUrl} (up to ${timeout_s} s)`);
      const birth = await births.next(timeout_s);
      step(`alive: board ${birth.board} of rig ${birth.rig}, firmware ${birth.fw.version} build ${birth.fw.build}`);
    } finally {
      await births.close();
    }
    return 0;
  },
};

/**
 * To flash: the bundle becomes the saved program (.bootcde), then the configuration is written and
 * load() restarts the board with both. To RAM: the configuration is written first, since the bundle
 * starts as soon as it arrives and reads it at once.
 */
async function upload(link: EspruinoLink, code: string, config: string, ram: boolean, step: (line: string) => void): Promise<void> {
  let shown = -1;
  const onProgress = (fraction: number) => {
    const tenth = Math.floor(fraction * 10);
    if (tenth <= shown) return;
    shown = tenth;
    step(`uploading ${tenth * 10}%`);
  };
  const writeConfig = link.storageWriteCode(CONFIG_FILE, config);
  if (ram) {
    step(`writing ${CONFIG_FILE} to Storage`);
    await link.send(writeConfig, { toFlash: false, resetFirst: true });
    await link.send(code, { toFlash: false, resetFirst: false, onProgress });
    step("running from RAM (not saved: a reset loses it)");
    return;
  }
  await link.send(code, { toFlash: true, resetFirst: true, onProgress });
  step("saved to flash as .bootcde");
  step(`writing ${CONFIG_FILE} to Storage and resetting`);
  await link.send(`${writeConfig}\nload()\n`, { toFlash: false, resetFirst: false });
}

/** The file's JSON, or nothing when it cannot be read or parsed (loading it properly then says why). */
function readJsonIfAny(file: string): object {
  try {
    const value: unknown = JSON.parse(readFileSync(file, "utf8"));
    return typeof value === "object" && value !== null ? value : {};
  } catch {
    return {};
  }
}
