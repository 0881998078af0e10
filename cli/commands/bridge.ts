import { hostname } from "node:os";
import type { Command } from "../command.ts";
import { UsageError } from "../command.ts";
import { LOGIN_FLAGS, LOGIN_USAGE, loginFromFlags, portFlag, parseFlags } from "../args.ts";
import { untilStopped } from "../until-stopped.ts";
import { startBridge } from "../../host/bridge/bridge.ts";
import { CommandKeys } from "../../host/bridge/command-keys.ts";
import { describeStore, storeFromSpec } from "../../host/store/open-store.ts";
import { startWebServer } from "../../host/web/server.ts";

const DEFAULT_STORE = "duckdb:./data/cellrig.duckdb";

export const bridge: Command = {
  name: "bridge",
  summary: "store what boards publish on an MQTT broker, and serve it over HTTP",
  usage: `usage: cellrig bridge --broker <url> [options]

  --broker <url>       MQTT broker (env CELLRIG_BROKER), e.g. mqtt://broker.lab:1883
  --store <spec>       duckdb:<file> (default ${DEFAULT_STORE}) or postgres://user@host:port/db
                       (env CELLRIG_STORE)
  --client-id <id>     MQTT client id; the broker keeps this bridge's session under it while the
                       bridge is down, so keep it stable (default cellrig-bridge-<hostname>)
  --group <name>       share the stream of frames with the other bridges of this group (MQTT 5
                       shared subscription); every bridge of a group needs its own --client-id
  --mqtt <4|5>         MQTT protocol version (default 5; 4 for MQTT 3.1.1-only brokers, no --group)
${LOGIN_USAGE}
  --keys <dir>         data folder whose keys/ sign commands to provisioned boards (docs/RELIABILITY.md)
  --http-host <addr>   HTTP API address (default 127.0.0.1)
  --http-port <port>   HTTP API port (default 8080; 0 picks a free one; "off" serves nothing)

SIGINT or SIGTERM commits what is in hand, acknowledges it and stops; whatever arrived after
stays with the broker for the next start.`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      broker: { type: "string", default: process.env.CELLRIG_BROKER },
      store: { type: "string", default: process.env.CELLRIG_STORE ?? DEFAULT_STORE },
      "client-id": { type: "string", default: `cellrig-bridge-${hostname()}` },
      group: { type: "string" },
      mqtt: { type: "string", default: "5" },
      ...LOGIN_FLAGS,
      keys: { type: "string" },
      "http-host": { type: "string", default: "127.0.0.1" },
      "http-port": { type: "string", default: "8080" },
    });
    if (!values.broker) throw new UsageError("--broker is required, e.g. --broker mqtt://127.0.0.1:1883");
    if (values.mqtt !== "4" && values.mqtt !== "5") throw new UsageError(`--mqtt must be 4 or 5, got "${values.mqtt}"`);
    const login = loginFromFlags(values);
    const httpPort = values["http-port"] === "off" ? undefined : portFlag(values["http-port"], "--http-port");
    let store;
    try {
      store = storeFromSpec(values.store);
    } catch (err) {
      throw new UsageError(`--store: ${(err as Error).message}`);
    }

    await store.open();
    const stops: (() => Promise<void>)[] = [() => store.close()];
    const stopAll = async () => {
      for (const stop of stops.reverse()) await stop();
    };
    try {
      const running = await startBridge({
        brokerUrl: values.broker,
        store,
        clientId: values["client-id"],
        mqttVersion: values.mqtt === "4" ? 4 : 5,
        ...(values.group === undefined ? {} : { group: values.group }),
        login,
        ...(values.keys === undefined ? {} : { commandKeys: new CommandKeys(values.keys) }),
        onFault: (message) => console.error(`${new Date().toISOString()}  ${message}`),
      });
      stops.push(() => running.stop());
      console.log(`bridge      ${values.broker} as ${values["client-id"]}${values.group === undefined ? "" : `, group ${values.group}`}`);
      console.log(`storage     ${describeStore(values.store)}`);
      if (httpPort !== undefined) {
        const web = await startWebServer({ host: values["http-host"], port: httpPort, bridge: running, store });
        stops.push(() => web.close());
        console.log(`http        ${web.url}`);
      }
    } catch (err) {
      await stopAll();
      throw err;
    }

    await untilStopped();
    await stopAll();
    console.log("stopped.");
    return 0;
  },
};
