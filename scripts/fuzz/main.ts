// `npm run fuzz`: the bad-input campaign, every surface with a fixed seed, then its table.
// `--short` runs the few thousand inputs per surface that `npm test` runs; `--seed N`, `--only
// <surface,...>` and `--scale <factor>` replay or focus a run. Exits 1 on any crash or hang.
import { parseArgs } from "node:util";
import { DEFAULT_SEED, formatDetails, formatTable, SURFACES } from "./campaign.ts";
import { Tally, type SurfaceReport } from "./tally.ts";

/** A surface that could not run (its target would not build or start) is a failed row, and the others still run. */
function notRun(name: string, err: unknown): SurfaceReport {
  const tally = new Tally(name, 0);
  tally.fail(`did not run: ${err instanceof Error ? err.message : String(err)}`);
  return tally.report(0);
}

const { values } = parseArgs({ options: { short: { type: "boolean" }, seed: { type: "string" }, only: { type: "string" }, scale: { type: "string" } } });
const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
const scale = values.scale === undefined ? 1 : Number(values.scale);
const only = values.only?.split(",");
const reports: SurfaceReport[] = [];
for (const surface of SURFACES) {
  if (only !== undefined && !only.includes(surface.name)) continue;
  const count = Math.max(1, Math.round((values.short ? surface.short : surface.full) * scale));
  const start = performance.now();
  console.log(`${surface.name}: ${count.toLocaleString("en-US")} inputs, seed ${seed}…`);
  const report = await surface.run(count, seed).catch((err: unknown) => notRun(surface.name, err));
  console.log(`${surface.name}: done in ${((performance.now() - start) / 1000).toFixed(0)} s\n${formatTable([report])}\n${formatDetails([report])}`);
  reports.push(report);
}
console.log(`\n${formatTable(reports)}\n\n${formatDetails(reports)}`);
process.exitCode = reports.some((r) => r.crashes > 0 || r.hangs > 0) ? 1 : 0;
