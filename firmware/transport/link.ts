import type { Command } from "../../protocol/wire/command.ts";
import type { BoardConfig } from "../config.ts";

// The board's link to the host, whatever carries it: MQTT over TCP on networked boards, framed
// serial to a gateway on USB and Bluetooth LE boards (docs/PROTOCOL.md "Serial transport"). The
// build bundles exactly one (the `cellrig:transport` module, chosen by the board profile's transport).

/** Message kinds a link sends; 1 to 4 are the store's record kinds (firmware/store/record.ts and KIND_GAP). */
export const SEND_BIRTH = 5;
export const SEND_HEALTH = 6;

export interface LinkOptions {
  config: BoardConfig;
  board: string;
  boot: number;
  /** The link came up: the host can be reached. */
  up(): void;
  /** The link went down; nothing sent and not yet acknowledged will be acknowledged. */
  down(): void;
  /** The host has the message sent under this id. */
  acked(id: number): void;
  /** A command that passed the protocol's checks. */
  command(cmd: Command): void;
  /** A command that did not: its ack reports the code. */
  refuse(id: number, code: string, message: string): void;
  /** Something kept the link from coming up (a refused Wi-Fi join): a flag for the next health report. */
  flag(name: string): void;
}

export interface Link {
  start(): void;
  /**
   * Sends a message of `kind` (data, alarm, ack, gap, birth, health). `reliable`: the link reports
   * the returned id to `acked` once the host has it, and -1 means it cannot take more now; else it
   * returns 0, or -1 when the link is down.
   */
  send(kind: number, payload: Uint8Array, reliable: boolean): number;
}
