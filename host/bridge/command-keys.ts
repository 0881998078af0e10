import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseCommand, TAG_BYTES, type CommandAuth } from "../../protocol/wire/command.ts";

/** Bytes of a board's command key: an HMAC-SHA1 key of the hash's full output length and more. */
export const KEY_BYTES = 32;

/**
 * The command keys the host holds, one per board, in `<data>/keys/<rig>.<board>.key` (hex), the
 * folder readable by its owner only and each file 0600: whoever reads a key can command that board.
 * The board holds the same bytes in Storage (firmware/auth.ts).
 */
export class CommandKeys {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, "keys");
  }

  /** The key of a board, or undefined when it has none (its commands then go unsigned). */
  get(rig: string, board: string): Buffer | undefined {
    const path = this.path(rig, board);
    if (!existsSync(path)) return undefined;
    const key = Buffer.from(readFileSync(path, "utf8").trim(), "hex");
    if (key.length !== KEY_BYTES) throw new Error(`command key ${path} is not ${KEY_BYTES} bytes of hex; delete it and provision the board again (cellrig flash)`);
    return key;
  }

  /** The board's key, made and stored first if it has none. */
  ensure(rig: string, board: string): Buffer {
    const existing = this.get(rig, board);
    if (existing !== undefined) return existing;
    // only keys/ is private: the data folder is the user's, with its own permissions
    mkdirSync(dirname(this.dir), { recursive: true });
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
    const key = randomBytes(KEY_BYTES);
    writeFileSync(this.path(rig, board), key.toString("hex") + "\n", { mode: 0o600, flag: "wx" });
    return key;
  }

  /** Where the board's key is (or would be) kept. */
  path(rig: string, board: string): string {
    return join(this.dir, `${rig}.${board}.key`);
  }
}

/**
 * Fills in the tag of an encoded command that carries `boot`, `n` and a 20-byte placeholder `tag`
 * (docs/PROTOCOL.md "Command authentication"), in place: the board recomputes it the same way.
 */
export function signCommand(payload: Uint8Array, board: string, key: Uint8Array): void {
  const parsed = parseCommand(payload);
  const auth = parsed.ok ? parsed.command.auth : undefined;
  if (auth === undefined) throw new Error(`command to board "${board}" cannot be signed: ${parsed.ok ? "it has no tag field" : parsed.message}`);
  auth.tag.set(commandTag(auth, board, key));
}

/** Is the command's tag the one `key` gives for `board`? Compared in constant time. */
export function tagIsValid(auth: CommandAuth, board: string, key: Uint8Array): boolean {
  return auth.tag.length === TAG_BYTES && timingSafeEqual(auth.tag, commandTag(auth, board, key));
}

/** HMAC-SHA1 under the board's key of its id, a 0 byte and the command without its tag. */
function commandTag(auth: CommandAuth, board: string, key: Uint8Array): Buffer {
  return createHmac("sha1", key).update(board + "\0", "latin1").update(auth.signed).digest().subarray(0, TAG_BYTES);
}
