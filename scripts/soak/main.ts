import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { BrokerKind } from "./broker.ts";
import { formatLedger, ledgerTotal } from "./ledger.ts";
import { describeSchedule } from "./schedule.ts";
import { runSoak } from "./soak.ts";

/**
 * `npm run soak [-- --seed n --boards n --days d --intensity x --broker kind --out dir]`: the long soak. Prints the
 * fault schedule, progress on stderr, then the ledger; exits 1 when a sample was lost silently or
 * stored twice. `--out` keeps the database, schedule and ledger; by default they go with the run.
 */

const USAGE = "usage: npm run soak -- [--seed <n>] [--boards <n>] [--days <d>] [--intensity <x>] [--broker mosquitto|embedded] [--out <dir>]";

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
    boards: { type: "string", default: "8" },
    days: { type: "string", default: "7" },
    intensity: { type: "string", default: "1" },
    out: { type: "string" },
    broker: { type: "string", default: "mosquitto" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const number = (name: string, text: string, ok: (n: number) => boolean) => {
  const n = Number(text);
  if (!ok(n)) {
    console.error(`--${name} "${text}" is not valid\n${USAGE}`);
    process.exit(2);
  }
  return n;
};
const seed = number("seed", values.seed, Number.isSafeInteger);
const boards = number("boards", values.boards, (n) => Number.isInteger(n) && n >= 1 && n <= 64);
const days = number("days", values.days, (n) => n > 0);
const intensity = number("intensity", values.intensity, (n) => n > 0);
if (values.broker !== "mosquitto" && values.broker !== "embedded") {
  console.error(`--broker must be mosquitto (persistent sessions) or embedded (the in-process broker of cellrig start), got "${values.broker}"\n${USAGE}`);
  process.exit(2);
}
const broker: BrokerKind = values.broker;
const dir = values.out === undefined ? mkdtempSync(join(tmpdir(), "cellrig-soak-")) : resolve(values.out);
mkdirSync(dir, { recursive: true });

const duration_s = Math.round(days * 86_400);
console.log(`soak: seed ${seed}, ${boards} boards, ${days} days of virtual time, intensity ${intensity}, ${broker} broker`);
const result = await runSoak({
  seed,
  boards,
  duration_s,
  dir,
  intensity,
  broker,
  log: (line) => console.error(line),
  onProgress: (p) =>
    console.error(
      `  day ${(p.simulated_s / 86_400).toFixed(2)}/${days}  ${p.realtimeFactor.toFixed(0)}× real time  ${p.wall_s.toFixed(0)} s  ` +
        `frames ${p.frames.toLocaleString("en-US")}  gaps ${p.gaps}  broker restarts ${p.restarts.broker}  bridge restarts ${p.restarts.bridge}`,
    ),
});
console.log(`\nfault schedule (seed ${seed}, ${result.schedule.length} faults):`);
for (const line of describeSchedule(result.schedule)) console.log(`  ${line}`);
const table = formatLedger(result.ledger);
console.log(`\nledger:\n${table}`);
console.log(
  `\nwall time ${(result.wall_s / 60).toFixed(1)} min (simulation ${(result.simulated_wall_s / 60).toFixed(1)} min at ${result.realtimeFactor.toFixed(0)}× real time), ` +
    `${result.frames.toLocaleString("en-US")} frames, broker restarted ${result.restarts.broker}×, bridge restarted ${result.restarts.bridge}×`,
);
for (const e of result.boardErrors) console.log(`board error: ${e}`);
if (values.out !== undefined) {
  writeFileSync(join(dir, "schedule.json"), JSON.stringify(result.schedule, null, 1));
  writeFileSync(join(dir, "ledger.md"), table + "\n");
  writeFileSync(join(dir, "gaps.jsonl"), result.gaps.map((g) => JSON.stringify(g) + "\n").join(""));
} else {
  rmSync(dir, { recursive: true, force: true });
}
const total = ledgerTotal(result.ledger);
process.exitCode = total.silentlyLost === 0 && total.duplicated === 0 && result.ledger.every((r) => r.silentlyLost === 0) ? 0 : 1;
