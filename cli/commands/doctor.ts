import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkBoard, checkBroker, checkDependencies, checkNativeParts, checkNode, checkSerialPorts, type Finding } from "../../host/tooling/doctor-checks.ts";
import { REPO_ROOT } from "../../scripts/build/repo-root.ts";
import { parseFlags } from "../args.ts";
import type { Command } from "../command.ts";

const DEFAULT_BROKER = "mqtt://127.0.0.1:1883";

export const doctor: Command = {
  name: "doctor",
  summary: "check Node, dependencies, the broker, serial ports and a connected board, and say what to fix",
  usage: `usage: cellrig doctor [--port <port>] [--broker <url>]

  --port <port>    also connect to the board there (serial port, Bluetooth address or
                   tcp://host:port) and report its interpreter, id and free memory
  --broker <url>   the MQTT broker to try (env CELLRIG_BROKER, default ${DEFAULT_BROKER});
                   unreachable is a failure when named, a warning otherwise

One line per finding: ok, warn or fail, and for the last two what to do. Exits 1 on any fail.`,
  async run(argv) {
    const { values } = parseFlags(argv, { port: { type: "string" }, broker: { type: "string" } });
    const named = values.broker ?? (process.env.CELLRIG_BROKER || undefined);
    const brokerUrl = named ?? DEFAULT_BROKER;
    const explicit = named !== undefined;
    const engines = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { engines?: { node?: string } }).engines?.node ?? ">=20";

    let failed = 0;
    const report = (f: Finding) => {
      if (f.level === "fail") failed++;
      console.log(`${f.level.padEnd(4)}  ${f.what}${f.fix === undefined ? "" : `\n      → ${f.fix}`}`);
    };
    report(checkNode(process.version, engines));
    report(checkDependencies(REPO_ROOT));
    for (const f of await checkNativeParts(REPO_ROOT)) report(f);
    report(await checkBroker(brokerUrl, explicit));
    report(await checkSerialPorts(REPO_ROOT));
    if (values.port !== undefined) for (const f of await checkBoard(values.port)) report(f);
    console.log(failed === 0 ? "nothing to fix" : `${failed} thing${failed === 1 ? "" : "s"} to fix`);
    return failed === 0 ? 0 : 1;
  },
};
