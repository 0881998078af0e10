import { startEmbeddedBroker } from "../../host/broker/embedded.ts";
import { parseFlags } from "../args.ts";
import { UsageError, type Command } from "../command.ts";
import { untilStopped } from "../until-stopped.ts";

export const broker: Command = {
  name: "broker",
  summary: "run an MQTT broker on this machine for boards to publish to, until Ctrl-C",
  usage: `usage: cellrig broker [--port <port>] [--host <addr>]

  --port <port>   TCP port (default 1883; 0 picks a free one)
  --host <addr>   interface to listen on (default 127.0.0.1; 0.0.0.0 lets boards on the network in)

The same in-process MQTT 3.1.1 broker that \`cellrig start\` embeds, for a bench without a broker.
Prints its URL once it listens.`,
  async run(argv) {
    const { values } = parseFlags(argv, { port: { type: "string", default: "1883" }, host: { type: "string", default: "127.0.0.1" } });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number from 0 to 65535, got "${values.port}"`);
    const running = await startEmbeddedBroker({ host: values.host, port });
    console.log(`broker      ${running.url} (Ctrl-C stops)`);
    await untilStopped();
    await running.close();
    return 0;
  },
};
