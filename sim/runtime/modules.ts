import { createHash } from "node:crypto";
import { dataToBytes } from "./bytes.ts";
import type { BoardHost } from "./host.ts";
import type { Realm } from "./realm.ts";

/**
 * require(name) for the built-in modules the firmware uses. Modules are made on first use and
 * cached for the boot, as the interpreter does; any other name throws the interpreter's error.
 */
export function createRequire(host: BoardHost, factories: Readonly<Record<string, () => object>>, onLoad: (module: object) => void): (name: unknown) => object {
  const cache = new Map<string, object>();
  return (name: unknown) => {
    if (typeof name !== "string") throw host.realm.error("TypeError", `Expecting a module name as a string, but got ${typeof name}`);
    let module = cache.get(name);
    if (module === undefined) {
      const factory = Object.hasOwn(factories, name) ? factories[name] : undefined;
      if (factory === undefined) throw host.realm.error("Error", `Module ${JSON.stringify(name)} not found`);
      module = factory();
      cache.set(name, module);
      onLoad(module);
    }
    return module;
  };
}

/**
 * `require("crypto")` as far as the firmware uses it: SHA1 of a byte string or any "data" argument,
 * as a 20-byte ArrayBuffer (jswrap_crypto_SHAx in libs/crypto/jswrap_crypto.c of the Espruino
 * source). The interpreter has it on every build with the crypto library; SHA256 and the others
 * need USE_SHA256/USE_SHA512 in the board's build, so the firmware does not rely on them.
 */
export function createCryptoModule(realm: Realm): object {
  return {
    SHA1: (message: unknown) => realm.arrayBuffer(new Uint8Array(createHash("sha1").update(dataToBytes(realm, message, "crypto.SHA1 message")).digest())),
  };
}
