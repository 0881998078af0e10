import type { Command } from "../protocol/wire/command.ts";

// Commands signed by the host (docs/PROTOCOL.md "Command authentication"): with a key in Storage the
// board carries out only commands whose tag is the HMAC-SHA1 of its board id and the command under
// that key, for this boot, with a counter above the last one taken. SHA1 because it is in every
// Espruino build with the crypto library (SHA256 needs USE_SHA256); HMAC does not lean on SHA1's
// collision resistance. Without a key the board takes every command, as before it was provisioned.

declare global {
  function require(name: "crypto"): { SHA1(message: string): ArrayBuffer };
}

/** The board's command key: raw bytes, written by `cellrig flash` (or the simulated rig). */
export const KEY_FILE = "cellrig.key";

/** "" when `cmd` may be carried out, else the refusal code of its ack. */
export type Guard = (cmd: Command) => string;

export function commandGuard(board: string, boot: number): Guard {
  const key = require("Storage").read(KEY_FILE);
  let last = 0;
  return function (cmd) {
    if (!key) return "";
    const a = cmd.auth;
    if (!a) return "unsigned";
    if (a.boot !== boot) return "other_boot";
    if (a.n <= last) return "replayed";
    const sha1 = require("crypto").SHA1;
    // HMAC (RFC 2104) with a 64-byte block: the key padded with zeros, XORed with ipad and opad
    let inner = "";
    let outer = "";
    for (let i = 0; i < 64; i++) {
      const k = key.charCodeAt(i) | 0;
      inner += String.fromCharCode(k ^ 54);
      outer += String.fromCharCode(k ^ 92);
    }
    const mac = new Uint8Array(sha1(outer + E.toString(sha1(inner + board + "\0" + E.toString(a.signed)) as unknown as Uint8Array)));
    let diff = 0;
    for (let i = 0; i < 20; i++) diff |= mac[i] ^ a.tag[i];
    if (diff) return "bad_tag";
    last = a.n;
    return "";
  };
}
