import { createHash } from "node:crypto";
import type { Plugin } from "rollup";

const MODULE_ID = "cellrig:build";
const RESOLVED_ID = "\0cellrig:build";

/** Stands in for the bundle hash until the final code exists; 12 characters like the hash, so the size does not change. */
export const HASH_PLACEHOLDER = "~cellrighash";

/** What the build embeds; the firmware reads it with `import build from "cellrig:build"` (typed in firmware/build-info.d.ts). */
export interface BuildInfo {
  config: unknown;
  board: { id: string } & Record<string, unknown>;
  version: string;
}

/** Provides the virtual module `cellrig:build`. */
export function buildInfoPlugin(info: BuildInfo): Plugin {
  const source =
    "export default {\n" +
    `  config: ${embedJson(info.config, "config")},\n` +
    `  board: ${embedJson(info.board, "board")},\n` +
    `  version: ${JSON.stringify(info.version)},\n` +
    `  hash: ${JSON.stringify(HASH_PLACEHOLDER)}\n` +
    "};\n";
  return {
    name: "cellrig-build-info",
    resolveId: (id) => (id === MODULE_ID ? RESOLVED_ID : null),
    load: (id) => (id === RESOLVED_ID ? source : null),
  };
}

/** Hashes the final code (with the placeholder in it) and writes the hash where the placeholder was. */
export function stampHash(code: string): { code: string; hash: string } {
  const hash = createHash("sha256").update(code).digest("hex").slice(0, 12);
  return { code: code.split(HASH_PLACEHOLDER).join(hash), hash };
}

/**
 * The value as a JavaScript literal. JSON.stringify prints every number in the shortest form
 * that reads back as the same double, so the board parses exactly the host's values (the lossy
 * direction, Espruino printing floats, never happens). Values JSON would silently change
 * (NaN to null, dropped undefined) are refused, and so is a `__proto__` key, which an object
 * literal would take as the prototype rather than a property.
 */
function embedJson(value: unknown, path: string): string {
  assertPlainJson(value, path);
  return JSON.stringify(value);
}

function assertPlainJson(value: unknown, path: string): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`build.${path} is ${value}, which JSON cannot carry: use a finite number`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertPlainJson(item, `${path}[${i}]`));
    return;
  }
  if (typeof value === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "__proto__") throw new Error(`build.${path} has a "__proto__" key, which an object literal cannot carry: rename it`);
      assertPlainJson(item, `${path}.${key}`);
    }
    return;
  }
  throw new Error(`build.${path} is ${typeof value === "object" ? "an object with a prototype" : typeof value}, which JSON cannot carry: embed plain JSON values only`);
}
