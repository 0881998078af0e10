import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { rollup, type RollupBuild, type RollupLog } from "rollup";
import type { BoardProfile } from "../../boards/profile.ts";
import { bundleFlashProblem } from "../../boards/limits.ts";
import { buildInfoPlugin, stampHash } from "./build-info.ts";
import { checkBundle } from "./bundle-check.ts";
import { AMBIENT_DECLARATIONS, firmwareTypescript } from "./firmware-typescript.ts";
import { privateNames } from "./private-names.ts";
import { sensorKinds, sourceFiles, sourcesPlugin } from "./sources-module.ts";
import { terserForEspruino } from "./terser.ts";
import { transportFile, transportPlugin } from "./transport-module.ts";
import { ALARMS_FILE, alarmsPlugin, wantsAlarms } from "./alarms-module.ts";
import { REPO_ROOT } from "./repo-root.ts";

/** A board profile as far as the build needs it; boards/profile.ts holds the full type. */
export type BoardProfileLike = { id: string } & Record<string, unknown>;

export interface BuildOptions {
  board: BoardProfileLike;
  /** The rig configuration embedded as the board's default (`build.config`). */
  config: unknown;
  /** Firmware entry module; firmware/main.ts unless given. */
  entry?: string;
  /** File to write the bundle to (folders are created). */
  out?: string;
  /** false keeps names and layout for reading; the bundle is still hoisted and checked. */
  minify?: boolean;
  /**
   * Build a rig's bundle even if it does not fit the board's Storage beside the store (boards/limits.ts),
   * for measurements of its RAM on that board; such a bundle cannot be flashed.
   */
  ignoreStorage?: boolean;
  /** Keep each source module's rendered code (before terser) in `modules`, for size reports. */
  keepModules?: boolean;
}

export interface BuiltBundle {
  code: string;
  /** Size of `code` in bytes (the output is ASCII). */
  bytes: number;
  /** First 12 hex digits of the bundle's SHA-256, also embedded as `build.hash`. */
  hash: string;
  /** Where the bundle was written, if `out` was given. */
  path?: string;
  /** With `keepModules`: each source module (repository path) and its code as rollup rendered it into the bundle. */
  modules?: { file: string; code: string }[];
  /** With `keepModules`: the names terser may shorten as private members. */
  privateNames?: string[];
}

/** A build that failed, with one line per problem (file or bundle position, and what is wrong). */
export class FirmwareBuildError extends Error {
  constructor(
    summary: string,
    readonly problems: string[],
  ) {
    super(`${summary}:\n  ${problems.join("\n  ")}`);
    this.name = "FirmwareBuildError";
  }
}

const DEFAULT_ENTRY = join(REPO_ROOT, "firmware/main.ts");
const HELPERS = join(REPO_ROOT, "firmware/lib/helpers.js");
/** Shapes whose keys reach the board from outside (Storage, the gateway) whether or not their modules are bundled. */
const EXPOSED_SHAPES = ["boards/rig-schema.ts", "boards/profile.ts", "firmware/config.ts", "protocol/wire/command.ts"];
/** Rollup logs that are not mistakes: modules importing each other is fine once bundled. */
const HARMLESS_LOGS = new Set(["CIRCULAR_DEPENDENCY"]);

/**
 * Compiles a firmware entry to one ES5 IIFE for Espruino: TypeScript (target ES5, type-checked)
 * through rollup, the project's helpers at the top, terser with function hoisting, the hash
 * stamped in, then the Espruino bundle check. Throws FirmwareBuildError listing every type
 * error, rollup warning or bundle-check problem.
 */
export async function buildFirmware(opts: BuildOptions): Promise<BuiltBundle> {
  const entry = opts.entry === undefined ? DEFAULT_ENTRY : resolve(opts.entry);
  const what = `firmware ${repoPath(entry)} for board "${opts.board.id}"`;
  const bundled = await bundle(entry, opts, what);
  const mangled = privateNames(
    bundled.files,
    [HELPERS, ...AMBIENT_DECLARATIONS.map((file) => join(REPO_ROOT, file))],
    EXPOSED_SHAPES.map((file) => join(REPO_ROOT, file)),
  );
  const { code, hash } = stampHash(await terserForEspruino(bundled.code, opts.minify !== false, mangled));

  const problems = checkBundle(code);
  if (problems.length > 0) {
    throw new FirmwareBuildError(
      `${what} fails the Espruino bundle check (${problems.length} problem${problems.length === 1 ? "" : "s"}; positions are in the bundle, build with minify: false to read it)`,
      problems.map((p) => `${p.rule} ${p.line}:${p.column} ${p.message}`),
    );
  }

  const built: BuiltBundle = { code, bytes: Buffer.byteLength(code), hash };
  if (opts.keepModules === true) {
    built.modules = bundled.modules;
    built.privateNames = mangled;
  }
  const tooBig = isRig(opts.config) && opts.ignoreStorage !== true ? bundleFlashProblem(built.bytes, opts.config, opts.board as unknown as BoardProfile) : undefined;
  if (tooBig !== undefined) throw new FirmwareBuildError(`${what} does not fit the board's flash`, [tooBig]);
  if (opts.out !== undefined) {
    built.path = resolve(opts.out);
    mkdirSync(dirname(built.path), { recursive: true });
    writeFileSync(built.path, code);
  }
  return built;
}

/** The bundled code and the source files it was made from. */
async function bundle(entry: string, opts: BuildOptions, what: string): Promise<{ code: string; files: string[]; modules: { file: string; code: string }[] }> {
  const logs: RollupLog[] = [];
  const collect = (log: RollupLog) => {
    if (!HARMLESS_LOGS.has(log.code ?? "")) logs.push(log);
  };
  const kinds = sensorKinds(opts.config);
  const link = transportFile(opts.board);
  const alarms = wantsAlarms(opts.config);
  const typescript = firmwareTypescript(entry, [...sourceFiles(kinds), link, ...(alarms ? [ALARMS_FILE] : [])]);
  let build: RollupBuild | undefined;
  try {
    build = await rollup({
      input: entry,
      // Also receives the warnings of generate().
      onwarn: collect,
      plugins: [
        buildInfoPlugin({ config: opts.config, board: opts.board, version: packageVersion() }),
        sourcesPlugin(kinds),
        transportPlugin(link),
        alarmsPlugin(alarms),
        typescript.plugin,
        nodeResolve({ extensions: [".ts", ".js"] }),
      ],
    });
    failOn(logs, `${what} does not compile`);
    const { output } = await build.generate({
      format: "iife",
      intro: readFileSync(HELPERS, "utf8"),
      // Rollup's own additions stay ES5 and use nothing Espruino lacks (Object.freeze, Symbol).
      generatedCode: { preset: "es5", symbols: false },
      freeze: false,
      esModule: false,
      // Espruino has no strict mode; the directive would only make Node behave differently.
      strict: false,
    });
    failOn(logs, `${what} does not bundle`);
    const modules = Object.entries(output[0].modules).map(([id, m]) => ({ file: id.startsWith("\0") ? id.slice(1) : repoPath(id), code: m.code ?? "" }));
    return { code: output[0].code, files: Object.keys(output[0].modules).filter((id) => !id.startsWith("\0")), modules };
  } catch (err) {
    if (err instanceof FirmwareBuildError || !isRollupLog(err)) throw err;
    throw new FirmwareBuildError(`${what} does not compile`, [...logs, err].map(describeLog));
  } finally {
    await build?.close();
    typescript.dispose();
  }
}

/** A rig configuration (a test entry's build has none): only a rig's bundle is flashed beside a store. */
function isRig(config: unknown): config is { channels: unknown[]; store?: { flash_bytes?: number } } {
  return typeof config === "object" && config !== null && Array.isArray((config as { channels?: unknown }).channels);
}

function failOn(logs: RollupLog[], summary: string): void {
  if (logs.length > 0) throw new FirmwareBuildError(summary, logs.map(describeLog));
}

function isRollupLog(err: unknown): err is RollupLog & Error {
  return err instanceof Error && typeof (err as RollupLog).code === "string";
}

/** `file:line:column: message`, with the file relative to the repository and rollup's plugin prefix removed. */
function describeLog(log: RollupLog): string {
  const file = log.loc?.file ?? log.id;
  const place = file === undefined ? "" : `${repoPath(file)}${log.loc ? `:${log.loc.line}:${log.loc.column}` : ""}: `;
  const message = log.message.replace(/^\[plugin [^\]]+\] /, "").replace(/^\S+ \(\d+:\d+\): /, "");
  const hint = log.code === "UNRESOLVED_IMPORT" ? " (a .ts import reaches rollup as .js: check the file exists and the path is right)" : "";
  return place + message + hint;
}

function repoPath(file: string): string {
  const rel = relative(REPO_ROOT, file);
  return rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
}
