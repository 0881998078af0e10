import type { Command } from "../../protocol/wire/command.ts";
import { tagIsValid } from "../bridge/command-keys.ts";

/** Refusal codes, the ones a board's ack carries for a command it does not authenticate (firmware/auth.ts). */
export type Refusal = "unsigned" | "other_boot" | "replayed" | "bad_tag";

/**
 * The board's command check (firmware/auth.ts), run by the gateway for a board on a serial link,
 * whose bundle has no room for the CBOR reader and gets its commands as JSON without the tag: a
 * command is carried out only when it is signed with the board's key, for the boot of the board's
 * latest birth, with a counter above the last one taken in that boot.
 *
 * The counters live in memory: after a gateway restart a command captured earlier in the same boot
 * would pass once more, which a reboot of the board (a new boot) ends.
 */
export class CommandGuard {
  private boot = -1;
  private last = 0;

  constructor(
    private readonly board: string,
    private readonly key: Uint8Array,
  ) {}

  /** Why `cmd` must not reach the board running `boot`, or undefined when it may (and its counter is taken). */
  check(cmd: Command, boot: number): Refusal | undefined {
    if (boot !== this.boot) {
      this.boot = boot;
      this.last = 0;
    }
    const auth = cmd.auth;
    if (auth === undefined) return "unsigned";
    if (auth.boot !== boot) return "other_boot";
    if (auth.n <= this.last) return "replayed";
    if (!tagIsValid(auth, this.board, this.key)) return "bad_tag";
    this.last = auth.n;
    return undefined;
  }
}
