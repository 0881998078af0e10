import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import typescript from "@rollup/plugin-typescript";
import type { Plugin } from "rollup";
import ts from "typescript";
import { REPO_ROOT } from "./repo-root.ts";

/** Declarations every firmware entry compiles against: the Espruino API and the `cellrig:build`, `cellrig:sources`, `cellrig:transport` and `cellrig:alarms` modules. */
export const AMBIENT_DECLARATIONS = ["firmware/espruino.d.ts", "firmware/build-info.d.ts", "firmware/sources/sources-module.d.ts", "firmware/transport/transport-module.d.ts", "firmware/alarms/alarms-module.d.ts"];

/**
 * The TypeScript plugin for one firmware entry: firmware/tsconfig.json's options (ES5, strict,
 * Espruino's library only), type-checking exactly the entry's import graph (and `extraFiles`, the
 * modules a virtual module brings in), so a fixture or a board-specific entry is checked the same
 * way as firmware/main.ts. Type errors arrive as rollup
 * warnings, which the build turns into failures. Call `dispose` when the build is over.
 */
export function firmwareTypescript(entry: string, extraFiles: string[] = []): { plugin: Plugin; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), "cellrig-firmware-tsconfig-"));
  const tsconfig = join(dir, "tsconfig.json");
  const config = {
    extends: join(REPO_ROOT, "firmware/tsconfig.json"),
    compilerOptions: {
      // The plugin emits JavaScript, and TypeScript accepts `./x.ts` specifiers while emitting
      // only if it rewrites them (to `./x.js`, which the plugin resolves back to the source).
      allowImportingTsExtensions: false,
      rewriteRelativeImportExtensions: true,
      // The bundle is the only output: no declaration files, maps or build info to place.
      declaration: false,
      declarationMap: false,
      sourceMap: false,
      incremental: false,
    },
    files: [entry, ...extraFiles, ...AMBIENT_DECLARATIONS.map((file) => join(REPO_ROOT, file))],
    include: [],
  };
  writeFileSync(tsconfig, JSON.stringify(config, null, 2));
  const plugin = typescript({ typescript: withProjectHelpers(), tsconfig, filterRoot: REPO_ROOT });
  return { plugin, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The plugin forces `importHelpers: true`, which makes TypeScript import its helpers from tslib,
 * whose `__extends` relies on hoisting and on Object.prototype methods that Espruino lacks. The
 * firmware's helpers come from firmware/lib/helpers.js at the top of the bundle instead, so the
 * compiler must emit bare `__extends(...)` calls: this TypeScript instance drops that one forced
 * option and leaves the others (noEmitHelpers among them) in place. If the plugin ever passed
 * its options another way, tslib would be bundled and the bundle check would reject it.
 */
function withProjectHelpers(): typeof ts {
  const parse: typeof ts.parseJsonConfigFileContent = (json, host, basePath, existingOptions, ...rest) =>
    ts.parseJsonConfigFileContent(json, host, basePath, { ...existingOptions, importHelpers: false }, ...rest);
  return Object.create(ts, { parseJsonConfigFileContent: { value: parse } }) as typeof ts;
}
