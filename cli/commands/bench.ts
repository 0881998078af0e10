import os from "node:os";
import type { Command } from "../command.ts";
import { parseFlags } from "../args.ts";
import { benchmarks } from "../../scripts/bench/index.ts";
import type { Figure } from "../../scripts/bench/figure.ts";

function format(f: Figure): string {
  const value = Number.isInteger(f.value) ? String(f.value) : f.value.toPrecision(4);
  const vs = f.baseline === undefined ? "" : `  (baseline ${f.baseline.toPrecision(4)} ${f.unit}, ratio ${f.ratio!.toFixed(3)})`;
  return `${f.name.padEnd(36)} ${value.padStart(12)} ${f.unit}${vs}${f.note ? `  — ${f.note}` : ""}`;
}

export const bench: Command = {
  name: "bench",
  summary: "run the benchmarks and print their figures",
  usage: `usage: cellrig bench [--json] [--only <prefix>]

  --json           one JSON object per line: {"name", "value", "unit"} plus "baseline" and "ratio"
                   where a figure is compared with another measured in the same run
  --only <prefix>  run only the benchmarks whose name starts with prefix (e.g. firmware)`,
  async run(argv) {
    const { values } = parseFlags(argv, { json: { type: "boolean" }, only: { type: "string" } });
    const chosen = benchmarks.filter((b) => !values.only || b.name.startsWith(values.only));
    const progress = (line: string) => process.stderr.write(`  ${line}\n`);
    if (!values.json) {
      console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
    }
    for (const b of chosen) {
      process.stderr.write(`${b.name}…\n`);
      for (const figure of await b.run(progress)) {
        console.log(values.json ? JSON.stringify(figure) : format(figure));
      }
    }
    return 0;
  },
};
