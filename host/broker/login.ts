import { readFileSync } from "node:fs";
import type { IClientOptions } from "mqtt";

/**
 * How a host-side client (bridge, gateway, monitor) logs in to the broker: the account of
 * deploy/mosquitto/acl's `cellrig-host` user (or the embedded broker's) and, for an `mqtts://`
 * broker, the certificate authority that signed the broker's certificate.
 */
export interface BrokerLogin {
  username?: string;
  password?: string;
  /** PEM file of the CA; without it Node's default CAs are used. */
  caFile?: string;
}

/** The mqtt.js connect options for a login; the broker's certificate is always verified. */
export function loginOptions(login: BrokerLogin | undefined): Pick<IClientOptions, "username" | "password" | "ca" | "rejectUnauthorized"> {
  if (login === undefined) return {};
  let ca: Buffer | undefined;
  if (login.caFile !== undefined) {
    try {
      ca = readFileSync(login.caFile);
    } catch (err) {
      throw new Error(`broker CA file ${login.caFile} cannot be read: ${err instanceof Error ? err.message : String(err)} (give the PEM certificate of the CA that signed the broker's certificate)`);
    }
  }
  return {
    ...(login.username === undefined ? {} : { username: login.username }),
    ...(login.password === undefined ? {} : { password: login.password }),
    ...(ca === undefined ? {} : { ca }),
    rejectUnauthorized: true,
  };
}
