import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadBoardProfile } from "../../boards/profile.ts";
import { loadRigConfig } from "../../boards/rig-config.ts";
import { watchBirths } from "../../host/tooling/birth-watch.ts";
import { readSecrets, refusePasswordsIn, withSecrets } from "../../host/tooling/board-secrets.ts";
import { connectEspruino, type EspruinoLink } from "../../host/tooling/espruino-tools.ts";
import { CommandKeys } from "../../host/bridge/command-keys.ts";
import { buildFirmware } from "../../scripts/build/bundle.ts";
import { KEY_FILE } from "../../sim/provision.ts";
import { LOGIN_FLAGS, LOGIN_USAGE, loginFromFlags, parseFlags } from "../args.ts";
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
  --data <dir>         data folder of the bridge (and gateway) that will command the board: the
                       board's command key is made in <dir>/keys unless it is there already, and
                       written to the board's Storage as ${KEY_FILE} (env CELLRIG_DATA, default ./data)
${LOGIN_USAGE}
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
      data: { type: "string", default: process.env.CELLRIG_DATA ?? "./data" },
      verbose: { type: "boolean" },
      ...LOGIN_FLAGS,
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

    const births = await watchBirths({ brokerUrl, rig: config.rig, ...(config.board_id === undefined ? {} : { board: config.board_id }), build: built.hash, login: loginFromFlags(values) });
    try {
      step(`connecting to ${values.port}`);
      const link = await connectEspruino({ port: values.port!, ...(verbose === undefined ? {} : { log: verbose }) });
      try {
        step(`connected: ${String(link.env.BOARD)} running Espruino ${String(link.env.VERSION)}`);
        const id = config.board_id ?? topicId(String(link.env.SERIAL ?? ""));
        if (id === "") throw new Error(`${values.port} reported no serial number (process.env.SERIAL) to name the board by: set board_id in the rig configuration`);
        const keys = new CommandKeys(values.data!);
        const key = keys.ensure(config.rig, id);
        const keyPath = keys.path(config.rig, id);
        let storage: string;
        if (SERIAL_TRANSPORTS.includes(board.transport)) {
          // the board's serial bundle reads commands as JSON with no tag, and would refuse them all
          // as unsigned with a key of its own: the gateway checks them with the host's copy instead
          storage = `require("Storage").erase(${JSON.stringify(KEY_FILE)})`;
          step(`command key ${keyPath}: kept on this host; the gateway checks each command with it (this board's serial link carries no tag)`);
        } else {
          storage = link.storageWriteCode(KEY_FILE, key.toString("latin1"));
          step(`command key ${keyPath}: goes to the board's Storage as ${KEY_FILE}; the bridge signs with it (cellrig bridge --keys ${values.data})`);
        }
        await upload(link, built.code, `${storage}\n${link.storageWriteCode(CONFIG_FILE, stored)}`, values.ram === true, step);
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
 * To flash: the bundle becomes the saved program (.bootcde), then the configuration and the command
 * key are written (`writeConfig`) and load() restarts the board with them. To RAM: the configuration is written first, since the bundle
 * starts as soon as it arrives and reads it at once.
 */
async function upload(link: EspruinoLink, code: string, writeConfig: string, ram: boolean, step: (line: string) => void): Promise<void> {
  let shown = -1;
  const onProgress = (fraction: number) => {
    const tenth = Math.floor(fraction * 10);
    if (tenth <= shown) return;
    shown = tenth;
    step(`uploading ${tenth * 10}%`);
  };
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

/** Boards whose link is framed serial to a gateway (boards/profile.ts transport). */
const SERIAL_TRANSPORTS = ["ble-uart", "usb-serial"];

/** The board id a serial number becomes (firmware/identity.ts boardId): [A-Za-z0-9_-], at most 32 characters. */
function topicId(serial: string): string {
  return serial.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 32);
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
