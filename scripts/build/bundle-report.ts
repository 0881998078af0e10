// Minified bytes each source module contributes to a board's bundle, so size decisions rest on
// numbers: `npx tsx scripts/build/bundle-report.ts --board mdbt42q [--config rig.json] [--json]`.
// Each module's code, as rollup rendered it into the bundle, is minified on its own inside a
// function that returns its top-level names (so they shorten as in the bundle's IIFE and stay used); the sum comes within
// a few percent of the real bundle, whose size is printed beside it.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse } from "acorn";
import { defaultRigFor } from "../../cli/commands/build.ts";
import { loadBoardProfile } from "../../boards/profile.ts";
import { loadRigConfig } from "../../boards/rig-config.ts";
import { buildFirmware } from "./bundle.ts";
import { terserForEspruino } from "./terser.ts";

export interface ModuleSize {
  file: string;
  bytes: number;
}

export interface BundleReport {
  board: string;
  bundle_B: number;
  modules: ModuleSize[];
}

/** Per-module minified sizes of the bundle for `board` with `configPath` (the default rig when absent), largest first. */
export async function bundleReport(boardId: string, configPath?: string): Promise<BundleReport> {
  const board = loadBoardProfile(boardId);
  const config = configPath === undefined ? defaultRigFor(board) : loadRigConfig(resolve(configPath), board);
  const built = await buildFirmware({ board, config, ignoreStorage: true, keepModules: true });
  const wrapper_B = (await terserForEspruino("keep=function(){return[]}();", true)).length;
  const modules: ModuleSize[] = [];
  for (const m of built.modules ?? []) {
    if (m.code.trim() === "") continue;
    const minified = await terserForEspruino(`keep=function(){${m.code}\nreturn[${topLevelNames(m.code).join(",")}]}();`, true, built.privateNames);
    modules.push({ file: m.file, bytes: Math.max(0, minified.length - wrapper_B) });
  }
  modules.sort((a, b) => b.bytes - a.bytes);
  return { board: boardId, bundle_B: built.bytes, modules };
}

/** Names a module declares at its top level, kept alive so terser does not drop them as unused. */
function topLevelNames(code: string): string[] {
  const names: string[] = [];
  for (const node of parse(code, { ecmaVersion: 2020 }).body) {
    if (node.type === "FunctionDeclaration" && node.id) names.push(node.id.name);
    if (node.type === "VariableDeclaration") for (const d of node.declarations) if (d.id.type === "Identifier") names.push(d.id.name);
  }
  return names;
}

function table(report: BundleReport): string {
  const total = report.modules.reduce((s, m) => s + m.bytes, 0);
  const width = Math.max(...report.modules.map((m) => m.file.length), 6);
  const lines = report.modules.map((m) => `${m.file.padEnd(width)}  ${String(m.bytes).padStart(6)}  ${((100 * m.bytes) / total).toFixed(1).padStart(5)} %`);
  lines.push(`${"modules".padEnd(width)}  ${String(total).padStart(6)}`, `${"bundle".padEnd(width)}  ${String(report.bundle_B).padStart(6)}  (helpers and the IIFE included)`);
  return `bundle for ${report.board}, minified bytes per module\n` + lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { board: { type: "string", default: "mdbt42q" }, config: { type: "string" }, json: { type: "boolean" } } });
  const report = await bundleReport(values.board!, values.config);
  console.log(values.json ? JSON.stringify(report) : table(report));
}
