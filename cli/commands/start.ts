import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "../command.ts";
import { UsageError } from "../command.ts";
import { LOGIN_FLAGS, LOGIN_USAGE, brokerAddress, loginFromFlags, parseFlags, portFlag } from "../args.ts";
import { untilStopped } from "../until-stopped.ts";
import { loadBoardProfile } from "../../boards/profile.ts";
import { validateRigConfig } from "../../boards/rig-config.ts";
import type { RigConfig } from "../../boards/rig-schema.ts";
import { buildFirmware } from "../../scripts/build/bundle.ts";
import { startEmbeddedBroker } from "../../host/broker/embedded.ts";
import { LocalAccounts } from "../../host/broker/local-accounts.ts";
import type { BrokerLogin } from "../../host/broker/login.ts";
import { startBridge, type Bridge } from "../../host/bridge/bridge.ts";
import { CommandKeys } from "../../host/bridge/command-keys.ts";
import { DuckDbStore } from "../../host/store/duckdb-store.ts";
import { startWebServer, type WebServer } from "../../host/web/server.ts";
import { VirtualClock } from "../../sim/runtime/clock.ts";
import { CONFIG_FILE, KEY_FILE, type StorageFiles } from "../../sim/provision.ts";
import { startSimRig, type SimRig } from "../../sim/rig.ts";

const DEFAULT_RIG = new URL("../../rigs/default.json", import.meta.url);

export const start: Command = {
  name: "start",
  summary: "run a simulated rig, a broker, the bridge and the dashboard (what npm start runs)",
  usage: `usage: cellrig start [options]

  --http-host <addr>   dashboard address (env CELLRIG_HTTP_HOST, default 127.0.0.1)
  --http-port <port>   dashboard port (env CELLRIG_HTTP_PORT, default 8080)
  --token <secret>     dashboard access token, at least 16 characters (env CELLRIG_TOKEN); required
                       when --http-host is not a loopback address; open the page as <url>/#token=<secret>
  --broker <url>       use this MQTT broker instead of the embedded one (env CELLRIG_BROKER),
                       e.g. mqtt://broker.lab:1883
${LOGIN_USAGE}
  --broker-port <port> port of the embedded broker on 127.0.0.1 (default 1883)
  --boards <n>         simulated boards (default 4)
  --rig <file>         rig configuration the simulated boards run (default rigs/default.json)
  --data <dir>         where samples and the boards' command keys (keys/) are stored
                       (env CELLRIG_DATA, default ./data)

The embedded broker lets in only the host and the simulated boards, each board as itself, with
passwords made at each start; commands are signed with each board's key (docs/RELIABILITY.md).`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      "http-host": { type: "string", default: process.env.CELLRIG_HTTP_HOST ?? "127.0.0.1" },
      "http-port": { type: "string", default: process.env.CELLRIG_HTTP_PORT ?? "8080" },
      token: { type: "string", default: process.env.CELLRIG_TOKEN },
      broker: { type: "string", default: process.env.CELLRIG_BROKER },
      ...LOGIN_FLAGS,
      "broker-port": { type: "string", default: "1883" },
      boards: { type: "string", default: "4" },
      rig: { type: "string" },
      data: { type: "string", default: process.env.CELLRIG_DATA ?? "./data" },
    });
    const boards = Number(values.boards);
    if (!Number.isInteger(boards) || boards < 1 || boards > 64) throw new UsageError(`--boards must be a whole number from 1 to 64, got "${values.boards}"`);
    if (!values.broker && (values["broker-user"] !== undefined || values.ca !== undefined)) throw new UsageError("--broker-user and --ca are for an external --broker; the embedded broker makes its own accounts");
    const running = await startLocalRig(
      {
        httpHost: values["http-host"],
        httpPort: portFlag(values["http-port"], "--http-port"),
        ...(values.token ? { token: values.token } : {}),
        ...(values.broker ? { broker: { url: values.broker, login: loginFromFlags(values) } } : {}),
        brokerPort: portFlag(values["broker-port"], "--broker-port"),
        boards,
        ...(values.rig ? { rigPath: resolve(values.rig) } : {}),
        data: values.data,
      },
      (line) => console.log(line),
    );
    console.log("Ctrl-C stops everything.");

    await untilStopped();
    console.log("stopping…");
    await running.stop();
    console.log("stopped.");
    return 0;
  },
};

export interface LocalRigOptions {
  httpHost: string;
  httpPort: number;
  token?: string;
  /** A broker of the user's own instead of the embedded one, and the host's login there. */
  broker?: { url: string; login: BrokerLogin };
  /** Port of the embedded broker; 0 picks a free one. */
  brokerPort: number;
  boards: number;
  rigPath?: string | URL;
  data: string;
}

export interface LocalRig {
  brokerUrl: string;
  /** The host's login to the broker (the embedded broker's host account). */
  login: BrokerLogin;
  bridge: Bridge;
  web: WebServer;
  sim: SimRig;
  /** The config the simulated boards run, with the broker's address. */
  config: RigConfig;
  keys: CommandKeys;
  stop(): Promise<void>;
}

/**
 * What `cellrig start` runs: the embedded broker (or the user's), the bridge with its store, the
 * dashboard and simulated boards in real time. Secure without setup: the embedded broker takes
 * only its accounts (a fresh password for the host and each board, handed to the bridge and written
 * into each simulated board's Storage), and every board gets a command key in <data>/keys and in
 * its Storage, so the bridge signs every command and a board takes no other.
 */
export async function startLocalRig(o: LocalRigOptions, log: (line: string) => void): Promise<LocalRig> {
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
  };
  try {
    let brokerUrl: string;
    let address: { host: string; port: number };
    let accounts: LocalAccounts | undefined;
    let login: BrokerLogin;
    if (o.broker !== undefined) {
      brokerUrl = o.broker.url;
      address = brokerAddress(o.broker.url);
      login = o.broker.login;
      log(`broker      ${brokerUrl} (external)`);
    } else {
      accounts = new LocalAccounts();
      const broker = await startEmbeddedBroker({ host: "127.0.0.1", port: o.brokerPort, access: accounts.access });
      stops.push(() => broker.close());
      brokerUrl = broker.url;
      address = { host: "127.0.0.1", port: broker.port };
      login = accounts.host;
      log(`broker      ${broker.url} (embedded)`);
      log("accounts    the host's and one per simulated board, passwords made for this run");
    }

    const rigPath = o.rigPath ?? DEFAULT_RIG;
    const rig = JSON.parse(readFileSync(rigPath, "utf8"));
    rig.broker = { ...rig.broker, host: address.host, port: address.port };
    const board = loadBoardProfile(rig.board);
    const config = validateRigConfig(rig, board, `rig configuration ${String(rigPath)}`);
    const bundle = await buildFirmware({ board, config });
    log(`firmware    ${board.id} bundle, ${bundle.bytes} bytes, build ${bundle.hash}`);

    mkdirSync(o.data, { recursive: true });
    const dbPath = join(o.data, "cellrig.duckdb");
    const store = new DuckDbStore({ path: dbPath });
    await store.open();
    stops.push(() => store.close());
    const keys = new CommandKeys(o.data);
    // The embedded broker speaks MQTT 3.1.1 only.
    const bridge = await startBridge({ brokerUrl, store, mqttVersion: o.broker !== undefined ? 5 : 4, login, commandKeys: keys });
    stops.push(() => bridge.stop());
    log(`storage     ${dbPath}`);

    const web = await startWebServer({ host: o.httpHost, port: o.httpPort, bridge, store, ...(o.token ? { token: o.token } : {}) });
    stops.push(() => web.close());

    const clock = new VirtualClock(Date.now() / 1000);
    const sim = startSimRig({ code: bundle.code, board, config, boards: o.boards, clock, storage: (serial) => simulatedBoardFiles(config, serial, keys, accounts) });
    stops.push(() => sim.close());
    for (const b of sim.boards) b.on("uncaught", (e) => console.error(`board ${b.serial}: uncaught ${e.name}: ${e.message}`));
    const realtime = clock.runRealtime({ speed: 1 });
    stops.push(() => realtime.stop());
    log(`simulation  ${o.boards} board(s) of rig "${config.rig}" (${sim.boards.map((b) => b.serial).join(", ")}), real time`);
    log(`keys        ${keys.dir}: each board's command key; the bridge signs every command with it`);
    log(`dashboard   ${web.url}`);
    return { brokerUrl, login, bridge, web, sim, config, keys, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * What a simulated board finds in Storage at its first boot, as `cellrig flash` would leave it: its
 * command key (made in `keys` if it has none) and, for a broker of this process, its configuration
 * with its own broker account.
 */
export function simulatedBoardFiles(config: RigConfig, serial: string, keys: CommandKeys | undefined, accounts: LocalAccounts | undefined): StorageFiles {
  const id = config.board_id ?? serial;
  return {
    ...(keys === undefined ? {} : { [KEY_FILE]: new Uint8Array(keys.ensure(config.rig, id)) }),
    ...(accounts === undefined ? {} : { [CONFIG_FILE]: { ...config, broker: { ...config.broker, ...accounts.board(id) } } }),
  };
}
