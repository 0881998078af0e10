import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "../command.ts";
import { UsageError } from "../command.ts";
import { portFlag, brokerAddress, parseFlags } from "../args.ts";
import { untilStopped } from "../until-stopped.ts";
import { loadBoardProfile } from "../../boards/profile.ts";
import { validateRigConfig } from "../../boards/rig-config.ts";
import { buildFirmware } from "../../scripts/build/bundle.ts";
import { startEmbeddedBroker } from "../../host/broker/embedded.ts";
import { startBridge } from "../../host/bridge/bridge.ts";
import { DuckDbStore } from "../../host/store/duckdb-store.ts";
import { startWebServer } from "../../host/web/server.ts";
import { VirtualClock } from "../../sim/runtime/clock.ts";
import { startSimRig } from "../../sim/rig.ts";

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
  --broker-port <port> port of the embedded broker on 127.0.0.1 (default 1883)
  --boards <n>         simulated boards (default 4)
  --rig <file>         rig configuration the simulated boards run (default rigs/default.json)
  --data <dir>         where samples are stored (env CELLRIG_DATA, default ./data)`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      "http-host": { type: "string", default: process.env.CELLRIG_HTTP_HOST ?? "127.0.0.1" },
      "http-port": { type: "string", default: process.env.CELLRIG_HTTP_PORT ?? "8080" },
      token: { type: "string", default: process.env.CELLRIG_TOKEN },
      broker: { type: "string", default: process.env.CELLRIG_BROKER },
      "broker-port": { type: "string", default: "1883" },
      boards: { type: "string", default: "4" },
      rig: { type: "string" },
      data: { type: "string", default: process.env.CELLRIG_DATA ?? "./data" },
    });
    const boards = Number(values.boards);
    if (!Number.isInteger(boards) || boards < 1 || boards > 64) throw new UsageError(`--boards must be a whole number from 1 to 64, got "${values.boards}"`);
    const httpPort = portFlag(values["http-port"], "--http-port");

    const stops: (() => Promise<void> | void)[] = [];
    const stopAll = async () => {
      for (const stop of stops.reverse()) await stop();
    };
    try {
      let brokerUrl: string;
      let address: { host: string; port: number };
      if (values.broker) {
        brokerUrl = values.broker;
        address = brokerAddress(values.broker);
        console.log(`broker      ${brokerUrl} (external)`);
      } else {
        const broker = await startEmbeddedBroker({ host: "127.0.0.1", port: portFlag(values["broker-port"], "--broker-port") });
        stops.push(() => broker.close());
        brokerUrl = broker.url;
        address = { host: "127.0.0.1", port: broker.port };
        console.log(`broker      ${broker.url} (embedded)`);
      }

      const rigPath = values.rig ? resolve(values.rig) : DEFAULT_RIG;
      const rig = JSON.parse(readFileSync(rigPath, "utf8"));
      rig.broker = { ...rig.broker, host: address.host, port: address.port };
      const board = loadBoardProfile(rig.board);
      const config = validateRigConfig(rig, board, `rig configuration ${rigPath}`);
      const bundle = await buildFirmware({ board, config });
      console.log(`firmware    ${board.id} bundle, ${bundle.bytes} bytes, build ${bundle.hash}`);

      mkdirSync(values.data, { recursive: true });
      const dbPath = join(values.data, "cellrig.duckdb");
      const store = new DuckDbStore({ path: dbPath });
      await store.open();
      stops.push(() => store.close());
      // The embedded broker speaks MQTT 3.1.1 only.
      const bridge = await startBridge({ brokerUrl, store, mqttVersion: values.broker ? 5 : 4 });
      stops.push(() => bridge.stop());
      console.log(`storage     ${dbPath}`);

      const web = await startWebServer({ host: values["http-host"], port: httpPort, bridge, store, ...(values.token ? { token: values.token } : {}) });
      stops.push(() => web.close());

      const clock = new VirtualClock(Date.now() / 1000);
      const sim = startSimRig({ code: bundle.code, board, config, boards, clock });
      stops.push(() => sim.close());
      for (const b of sim.boards) b.on("uncaught", (e) => console.error(`board ${b.serial}: uncaught ${e.name}: ${e.message}`));
      const realtime = clock.runRealtime({ speed: 1 });
      stops.push(() => realtime.stop());
      console.log(`simulation  ${boards} board(s) of rig "${config.rig}" (${sim.boards.map((b) => b.serial).join(", ")}), real time`);
      console.log(`dashboard   ${web.url}`);
      console.log("Ctrl-C stops everything.");
    } catch (err) {
      await stopAll();
      throw err;
    }

    await untilStopped();
    console.log("stopping…");
    await stopAll();
    console.log("stopped.");
    return 0;
  },
};
