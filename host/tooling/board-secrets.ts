import { readFileSync } from "node:fs";

/**
 * Passwords go to the board with its configuration but never live in the rig file, which is shared
 * and versioned: they come from the environment or a secrets file given at flash time.
 */
export interface BoardSecrets {
  broker_password?: string;
  wifi_password?: string;
}

/** Where each secret may come from: its key in a secrets file and its environment variable. */
const SOURCES = {
  broker_password: { section: "broker", env: "CELLRIG_BROKER_PASSWORD" },
  wifi_password: { section: "wifi", env: "CELLRIG_WIFI_PASSWORD" },
} as const;

/**
 * Reads secrets from a JSON file (`{ "broker": { "password": "..." }, "wifi": { "password": "..." } }`),
 * then the environment, which wins.
 */
export function readSecrets(file: string | undefined, env: NodeJS.ProcessEnv): BoardSecrets {
  const fromFile: Record<string, unknown> = file === undefined ? {} : readSecretsFile(file);
  const secrets: BoardSecrets = {};
  for (const [key, source] of Object.entries(SOURCES) as [keyof BoardSecrets, (typeof SOURCES)[keyof BoardSecrets]][]) {
    const section = fromFile[source.section] as Record<string, unknown> | undefined;
    const value = env[source.env] ?? section?.password;
    if (value === undefined) continue;
    if (typeof value !== "string") throw new Error(`secrets file ${file}: ${source.section}.password must be a string`);
    secrets[key] = value;
  }
  return secrets;
}

/** Refuses a rig configuration that carries a password itself. */
export function refusePasswordsIn(config: object, source: string): void {
  for (const { section, env } of Object.values(SOURCES)) {
    const part = (config as Record<string, unknown>)[section];
    if (typeof part === "object" && part !== null && "password" in part) {
      throw new Error(`${source} holds a ${section} password: remove it from the rig file and pass it in ${env} or a --secrets file`);
    }
  }
}

/** The configuration the board reads from Storage: the rig configuration with its passwords filled in. */
export function withSecrets<C extends { broker: object; wifi?: object }>(config: C, secrets: BoardSecrets): C {
  const out: C = { ...config, broker: { ...config.broker } };
  if (secrets.broker_password !== undefined) {
    // MQTT sends a password only beside a user name (MQTT 3.1.1 §3.1.2.9); the board refuses one alone.
    if (!("username" in config.broker)) throw new Error("a broker password was given but the rig configuration's broker has no username: add broker.username or drop the password");
    (out.broker as Record<string, unknown>).password = secrets.broker_password;
  }
  if (secrets.wifi_password !== undefined) {
    if (config.wifi === undefined) throw new Error("a Wi-Fi password was given but the rig configuration has no wifi section: add wifi.ssid or drop the password");
    out.wifi = { ...config.wifi, password: secrets.wifi_password };
  }
  return out;
}

function readSecretsFile(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`secrets file ${file} cannot be read as JSON: ${(err as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`secrets file ${file} must hold a JSON object like { "broker": { "password": "..." } }`);
  }
  return value as Record<string, unknown>;
}
