import { join } from "node:path";
import type { Plugin } from "rollup";
import { REPO_ROOT } from "./repo-root.ts";

const MODULE_ID = "cellrig:sources";
const RESOLVED_ID = "\0cellrig:sources";

/** Where the factory of each sensor kind lives (firmware/sources/), and its export. */
export const SOURCE_FACTORIES: Readonly<Record<string, { file: string; name: string }>> = {
  ads1115: { file: "firmware/sources/ads1115.ts", name: "ads1115Source" },
  psd: { file: "firmware/sources/photodiode.ts", name: "photodiodeSource" },
  quadrant: { file: "firmware/sources/photodiode.ts", name: "photodiodeSource" },
  ina226: { file: "firmware/sources/ina226.ts", name: "ina226Source" },
  max31865: { file: "firmware/sources/max31865.ts", name: "max31865Source" },
  abp2: { file: "firmware/sources/abp2.ts", name: "abp2Source" },
  ntc: { file: "firmware/sources/analog.ts", name: "ntcSource" },
  ratiometric: { file: "firmware/sources/analog.ts", name: "ratiometricSource" },
  synthetic: { file: "firmware/sources/synthetic.ts", name: "syntheticSource" },
};

/**
 * The sensor kinds a build carries: those of the rig's channels, or every kind when the build has
 * no rig (a test entry), so a rig's bundle holds only the drivers it uses.
 */
export function sensorKinds(config: unknown): string[] {
  const channels = (config as { channels?: unknown } | null)?.channels;
  if (!Array.isArray(channels)) return Object.keys(SOURCE_FACTORIES);
  const kinds: string[] = [];
  for (const ch of channels) {
    const sensor = (ch as { sensor?: unknown }).sensor;
    if (typeof sensor !== "string" || !(sensor in SOURCE_FACTORIES)) {
      throw new Error(`the rig has a channel of sensor "${String(sensor)}", which no firmware driver handles (known: ${Object.keys(SOURCE_FACTORIES).join(", ")})`);
    }
    if (!kinds.includes(sensor)) kinds.push(sensor);
  }
  return kinds;
}

/** The source files of the factories for these kinds, for the type-checker. */
export function sourceFiles(kinds: string[]): string[] {
  return [...new Set(kinds.map((k) => join(REPO_ROOT, SOURCE_FACTORIES[k]!.file)))];
}

/**
 * Provides the virtual module `cellrig:sources`: a map from sensor kind to the factory that makes
 * a channel's sample source, importing only the kinds given, so tree-shaking drops every other
 * driver (typed in firmware/sources/sources-module.d.ts).
 */
export function sourcesPlugin(kinds: string[]): Plugin {
  const imports: string[] = [];
  const entries: string[] = [];
  kinds.forEach((kind, i) => {
    const { file, name } = SOURCE_FACTORIES[kind]!;
    imports.push(`import { ${name} as f${i} } from ${JSON.stringify(join(REPO_ROOT, file))};`);
    entries.push(`  ${JSON.stringify(kind)}: f${i}`);
  });
  const source = `${imports.join("\n")}\nexport default {\n${entries.join(",\n")}\n};\n`;
  return {
    name: "cellrig-sources",
    resolveId: (id) => (id === MODULE_ID ? RESOLVED_ID : null),
    load: (id) => (id === RESOLVED_ID ? source : null),
  };
}
