import { randomBytes } from "node:crypto";
import { BrokerAccess, HOST_USERNAME } from "./access.ts";
import type { BrokerLogin } from "./login.ts";

/**
 * The accounts of a broker this process runs for boards it simulates (`cellrig start`, `cellrig sim`):
 * the host's and one per board, each with a fresh random password that lives only in memory and in
 * the simulated board's Storage, so nothing is configured by hand and nothing guessable is let in.
 */
export class LocalAccounts {
  readonly access = new BrokerAccess([]);
  /** What the bridge and the other host-side clients log in with. */
  readonly host: BrokerLogin;

  constructor() {
    const password = randomPassword();
    this.access.add({ username: HOST_USERNAME, password, role: "host" });
    this.host = { username: HOST_USERNAME, password };
  }

  /** A new account for the board with this id (its user name), which may then publish only as itself. */
  board(id: string): { username: string; password: string } {
    const password = randomPassword();
    this.access.add({ username: id, password, role: "board" });
    return { username: id, password };
  }
}

/** 144 random bits, as text a board's MQTT client sends unchanged. */
function randomPassword(): string {
  return randomBytes(18).toString("base64url");
}
