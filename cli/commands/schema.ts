import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseFlags } from "../args.ts";
import type { Command } from "../command.ts";
import { jsonSchemaOf } from "../../protocol/schema/messages.ts";
import { MESSAGE_KINDS } from "../../protocol/schema/topics.ts";

export const schema: Command = {
  name: "schema",
  summary: "print or write the JSON Schema of every protocol v1 message",
  usage: `usage: cellrig schema [--out <dir>]

  without --out    print one JSON object mapping each message kind to its JSON Schema
  --out <dir>      write <dir>/<kind>.schema.json for every kind (birth, death, data, alarm, gap,
                   health, cmd, ack), creating <dir> if needed`,
  async run(argv) {
    const { values } = parseFlags(argv, { out: { type: "string" } });
    if (values.out === undefined) {
      const all: { [kind: string]: object } = {};
      for (const kind of MESSAGE_KINDS) all[kind] = jsonSchemaOf(kind);
      console.log(JSON.stringify(all, null, 2));
      return 0;
    }
    mkdirSync(values.out, { recursive: true });
    for (const kind of MESSAGE_KINDS) {
      const path = join(values.out, `${kind}.schema.json`);
      writeFileSync(path, `${JSON.stringify(jsonSchemaOf(kind), null, 2)}\n`);
      console.log(path);
    }
    return 0;
  },
};
