import { readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { boardIds, loadBoardProfile, type BoardProfile } from "../../boards/profile.ts";
import { loadRigConfig, validateRigConfig } from "../../boards/rig-config.ts";
import type { RigConfig } from "../../boards/rig-schema.ts";
import { buildFirmware } from "../../scripts/build/bundle.ts";
import { REPO_ROOT } from "../../scripts/build/repo-root.ts";
import { parseFlags } from "../args.ts";
import { UsageError, type Command } from "../command.ts";

const DEFAULT_RIG = "rigs/default.json";

export const build: Command = {
  name: "build",
  summary: "compile the firmware for a board into one Espruino bundle, checked against the interpreter",
  usage: `usage: cellrig build --board <id> [--config <rig.json>] [--out <file>]
       cellrig build --all

  --board <id>      board profile boards/profiles/<id>.json
  --config <file>   rig configuration embedded as the board's default; without it,
                    ${DEFAULT_RIG} is used with its "board" set to the board being built
  --out <file>      where to write the bundle (default build/<board>.js)
  --all             build every board profile with the default rig into build/<board>.js

Prints each bundle's path, size in bytes and hash.`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      board: { type: "string" },
      config: { type: "string" },
      out: { type: "string" },
      all: { type: "boolean" },
    });
    if (values.all && (values.board !== undefined || values.out !== undefined || values.config !== undefined)) {
      throw new UsageError(`--all builds every board with ${DEFAULT_RIG} into build/<board>.js: leave out --board, --config and --out`);
    }
    if (!values.all && values.board === undefined) {
      throw new UsageError(`name a board with --board <id> (one of: ${boardIds().join(", ")}) or build them all with --all`);
    }

    const ids = values.all ? boardIds() : [values.board!];
    let failed = 0;
    for (const id of ids) {
      try {
        const board = loadBoardProfile(id);
        const config = values.config === undefined ? defaultRigFor(board) : loadRigConfig(resolve(values.config), board);
        const out = values.out === undefined ? join(REPO_ROOT, "build", `${id}.js`) : resolve(values.out);
        const built = await buildFirmware({ board, config, out });
        console.log(`${shown(built.path!)}  ${built.bytes} bytes  hash ${built.hash}`);
      } catch (err) {
        if (!values.all) throw err;
        failed++;
        console.error(`board ${id}: ${(err as Error).message}`);
      }
    }
    if (failed > 0) {
      console.error(`${failed} of ${ids.length} boards failed to build`);
      return 1;
    }
    return 0;
  },
};

/** The default rig is an example for any board, so it is retargeted at the board being built before it is checked. */
export function defaultRigFor(board: BoardProfile): RigConfig {
  let rig: unknown;
  try {
    rig = JSON.parse(readFileSync(join(REPO_ROOT, DEFAULT_RIG), "utf8"));
  } catch (err) {
    throw new Error(`the default rig configuration ${DEFAULT_RIG} cannot be loaded (${(err as Error).message}): pass one with --config <rig.json>`);
  }
  const retargeted = typeof rig === "object" && rig !== null && !Array.isArray(rig) ? { ...rig, board: board.id } : rig;
  return validateRigConfig(retargeted, board, `the default rig configuration ${DEFAULT_RIG}`);
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}
