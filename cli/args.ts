import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./command.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses `argv` strictly; unknown flags become a UsageError that names the flag. */
export function parseFlags<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** A TCP port given on the command line; 0 lets the system choose. */
export function portFlag(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag} must be a port number from 0 to 65535, got "${value}"`);
  return n;
}

/** Host and port of a plain MQTT broker URL, the only kind the simulated boards' client speaks. */
export function brokerAddress(url: string): { host: string; port: number } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--broker must be a URL such as mqtt://broker.lab:1883, got "${url}"`);
  }
  if (parsed.protocol !== "mqtt:") throw new UsageError(`--broker: the simulated boards speak plain MQTT over TCP, so use mqtt://host:port (got ${parsed.protocol})`);
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : 1883 };
}
