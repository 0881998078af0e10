import { timingSafeEqual, createHash } from "node:crypto";
import { TOPIC_PREFIX, type MessageKind } from "../../protocol/wire/topics.ts";

/**
 * Who may connect to the broker and what each may do, the same rules deploy/mosquitto/acl gives a
 * Mosquitto: the host account (bridge, gateway, monitor, the simulated rig's tools) may publish
 * and subscribe anywhere; a board's account is named after its board id and may publish only its
 * own board-to-host messages (`cellrig/v1/<rig>/<board>/birth` ...) and subscribe only to its own
 * `cmd` topic. Board ids are unique per broker, so the rig level is left open, as in the ACL.
 */

export interface BrokerAccount {
  username: string;
  password: string;
  /** host: the bridge's side; board: a board, whose username is its board id. */
  role: "host" | "board";
}

/** The account name the host side connects with; no board may be called this. */
export const HOST_USERNAME = "cellrig-host";

/** What a board publishes; `cmd` is the host's. */
const BOARD_KINDS: MessageKind[] = ["birth", "death", "data", "alarm", "gap", "health", "ack"];

export class BrokerAccess {
  private readonly accounts = new Map<string, BrokerAccount>();

  constructor(accounts: BrokerAccount[]) {
    for (const account of accounts) this.add(account);
  }

  /** Adds or replaces an account (a board provisioned while the broker runs). */
  add(account: BrokerAccount): void {
    if (account.role === "board" && account.username === HOST_USERNAME) throw new Error(`board id "${HOST_USERNAME}" is the host's account name; give the board another id`);
    if (account.password.length === 0) throw new Error(`broker account "${account.username}" has an empty password; every account needs one`);
    this.accounts.set(account.username, account);
  }

  /** The account these credentials open, or undefined (unknown user or wrong password). */
  authenticate(username: string | undefined, password: Uint8Array | string | undefined): BrokerAccount | undefined {
    if (username === undefined || password === undefined) return undefined;
    const account = this.accounts.get(username);
    if (account === undefined) return undefined;
    // compared as digests so the time taken says nothing about the password's length or prefix
    const given = createHash("sha256").update(password).digest();
    const expected = createHash("sha256").update(account.password).digest();
    return timingSafeEqual(given, expected) ? account : undefined;
  }
}

/** May `account` publish on `topic`? */
export function mayPublish(account: BrokerAccount, topic: string): boolean {
  if (account.role === "host") return true;
  const levels = topic.split("/");
  return levels.length === 5 && `${levels[0]}/${levels[1]}` === TOPIC_PREFIX && isLevel(levels[2]!) && levels[3] === account.username &&
    (BOARD_KINDS as string[]).includes(levels[4]!);
}

/** May `account` subscribe to `filter`? A board: exactly its own cmd topic, no wildcards. */
export function maySubscribe(account: BrokerAccount, filter: string): boolean {
  if (account.role === "host") return true;
  const levels = filter.split("/");
  return levels.length === 5 && `${levels[0]}/${levels[1]}` === TOPIC_PREFIX && isLevel(levels[2]!) && levels[3] === account.username && levels[4] === "cmd";
}

function isLevel(level: string): boolean {
  return level.length > 0 && !level.includes("+") && !level.includes("#");
}
