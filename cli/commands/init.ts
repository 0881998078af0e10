import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { boardIds, loadBoardProfile } from "../../boards/profile.ts";
import { rigPresets, rigTemplate } from "../../host/tooling/rig-template.ts";
import { REPO_ROOT } from "../../scripts/build/repo-root.ts";
import { brokerAddress, parseFlags } from "../args.ts";
import { UsageError, type Command } from "../command.ts";

const RIGS_DIR = join(REPO_ROOT, "rigs");

export const init: Command = {
  name: "init",
  summary: "write a rig configuration to start from: a preset's channels for your board, with notes",
  usage: `usage: cellrig init [--preset <name>] [--board <id>] [--broker <url>] [--out <rig.json>] [--force]

  --preset <name>   the rig to start from: ${rigPresets(RIGS_DIR).join(", ")} (default "default")
  --board <id>      the board it runs on: ${boardIds().join(", ")} (default: the preset's)
  --broker <url>    the MQTT broker the board publishes to, mqtt://host:port (default: the preset's)
  --out <file>      where to write it (default rig.json); an existing file is kept unless --force

The file is plain JSON; "$comment" members are notes for people and are ignored. It is checked
against the board before it is written, so it builds as it is:
  cellrig build --board <id> --config <file>`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      preset: { type: "string", default: "default" },
      board: { type: "string" },
      broker: { type: "string" },
      out: { type: "string", default: "rig.json" },
      force: { type: "boolean" },
    });
    const presets = rigPresets(RIGS_DIR);
    if (!presets.includes(values.preset)) throw new UsageError(`--preset "${values.preset}" does not exist: choose one of ${presets.join(", ")}`);
    if (values.board !== undefined && !boardIds().includes(values.board)) throw new UsageError(`--board "${values.board}" is not known: choose one of ${boardIds().join(", ")}`);
    const out = resolve(values.out);
    if (existsSync(out) && !values.force) throw new Error(`${values.out} already exists: choose another --out, or --force to replace it`);

    const boardId = values.board ?? presetBoard(values.preset);
    const board = loadBoardProfile(boardId);
    const { config, text } = rigTemplate({ rigsDir: RIGS_DIR, preset: values.preset, board, ...(values.broker === undefined ? {} : { broker: brokerAddress(values.broker) }) });
    writeFileSync(out, text);
    console.log(`wrote ${values.out}: rig "${config.rig}" for board ${board.id}, ${config.channels.length} channel${config.channels.length === 1 ? "" : "s"} (${config.channels.map((c) => `${c.id} ${c.sensor}`).join(", ")}), broker ${config.broker.host}:${config.broker.port}`);
    console.log(`next: cellrig build --board ${board.id} --config ${values.out}`);
    return 0;
  },
};

/** The board a preset names, so --board can be left out. */
function presetBoard(preset: string): string {
  const { board } = JSON.parse(readFileSync(join(RIGS_DIR, `${preset}.json`), "utf8")) as { board?: unknown };
  if (typeof board !== "string") throw new Error(`preset ${preset} names no board: pass --board <id>`);
  return board;
}
