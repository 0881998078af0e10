import { parseArgs, type ParseArgsConfig } from "node:util";
import type { BrokerLogin } from "../host/broker/login.ts";
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

/** Host and port of a plain MQTT broker URL, the only kind a board's client speaks, as a rig file holds them. */
export function brokerAddress(url: string): { host: string; port: number } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--broker must be a URL such as mqtt://broker.lab:1883, got "${url}"`);
  }
  if (parsed.protocol !== "mqtt:") throw new UsageError(`--broker: boards speak plain MQTT over TCP, so use mqtt://host:port (got ${parsed.protocol})`);
  return { host: parsed.hostname.replace(/^\[(.*)\]$/, "$1"), port: parsed.port ? Number(parsed.port) : 1883 };
}

/**
 * The host's broker login, the same three ways for every command that connects as the host (bridge,
 * gateway, monitor, start with an external broker): `--broker-user`, its password from
 * CELLRIG_HOST_PASSWORD (never on the command line, where `ps` shows it), and `--ca`.
 */
export const LOGIN_FLAGS = {
  "broker-user": { type: "string" },
  ca: { type: "string" },
} as const;

export const LOGIN_USAGE = `  --broker-user <name> the host's broker account (deploy/mosquitto/acl: cellrig-host); its password
                       from env CELLRIG_HOST_PASSWORD
  --ca <file>          PEM of the CA that signed an mqtts:// broker's certificate`;

/** The login that LOGIN_FLAGS' values ask for. */
export function loginFromFlags(values: { "broker-user"?: string | undefined; ca?: string | undefined }, env: NodeJS.ProcessEnv = process.env): BrokerLogin {
  const user = values["broker-user"];
  if (user !== undefined && !env.CELLRIG_HOST_PASSWORD) throw new UsageError(`--broker-user ${user} needs its password in the environment variable CELLRIG_HOST_PASSWORD`);
  return {
    ...(user === undefined ? {} : { username: user, password: env.CELLRIG_HOST_PASSWORD! }),
    ...(values.ca === undefined ? {} : { caFile: values.ca }),
  };
}
