import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "../command.ts";
import { UsageError } from "../command.ts";
import { brokerAddress, parseFlags } from "../args.ts";
import type { RigConfig } from "../../boards/rig-schema.ts";
import { startEmbeddedBroker } from "../../host/broker/embedded.ts";
import { LocalAccounts } from "../../host/broker/local-accounts.ts";
import { parseFaultSchedule } from "../../sim/faults.ts";
import { presetNames } from "../../sim/physics/index.ts";
import { runSimulation, type SimProgress, type SimRunOptions } from "../../sim/run.ts";
import { simulatedBoardFiles } from "./start.ts";

const UNITS_s: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** "90s", "45m", "12h", "7d" or a plain number of seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  if (!match) throw new UsageError(`--duration must be a number with s, m, h or d (e.g. 90s, 12h, 7d), got "${text}"`);
  const value = Number(match[1]) * UNITS_s[match[2] || "s"]!;
  if (!(value > 0)) throw new UsageError(`--duration must be longer than 0 s, got "${text}"`);
  return value;
}

function parseSpeed(text: string): "max" | number {
  if (text === "max") return "max";
  const n = Number(text);
  if (!(n > 0)) throw new UsageError(`--speed must be "max" or a positive factor of real time, got "${text}"`);
  return n;
}

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new UsageError(`${what} ${path} cannot be read as JSON: ${(err as Error).message}`);
  }
}

function clockText(s: number): string {
  if (s >= 86400) return `${(s / 86400).toFixed(2)} d`;
  if (s >= 3600) return `${(s / 3600).toFixed(2)} h`;
  return `${s.toFixed(0)} s`;
}

const BAR_WIDTH = 30;

function progressLine(p: SimProgress): string {
  const done = p.duration_s > 0 ? p.simulated_s / p.duration_s : 1;
  const filled = Math.round(done * BAR_WIDTH);
  const bar = "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled);
  return `[${bar}] ${clockText(p.simulated_s)} of ${clockText(p.duration_s)}  ×${Math.round(p.realtimeFactor).toLocaleString("en")}  frames ${p.frames.toLocaleString("en")}`;
}

export const sim: Command = {
  name: "sim",
  summary: "simulate boards beside cells of a physics preset, publishing to a broker, with ground truth",
  usage: `usage: cellrig sim --preset <name> --duration <time> [options]

  --preset <name>      cell preset: ${presetNames().join(", ")}
  --duration <time>    simulated time: 90s, 45m, 12h, 7d
  --boards <n>         simulated boards (default 1)
  --speed <max|N>      as fast as possible (default) or N times real time
  --broker <url>       MQTT broker the boards publish to (env CELLRIG_BROKER); default an
                       embedded broker on a free port for the length of the run, which lets in
                       only the boards, each as itself
  --out <dir>          ground truth (<board>.csv, .json, .cycles.jsonl) and faults.jsonl
                       (default sim-out/<preset>)
  --faults <file>      JSON array of faults to inject at virtual times (see sim/faults.ts)
  --rig <file>         rig configuration (default rigs/<preset>.json)
  --protocol <file>    cycling protocol replacing the preset's ("Protocol" section as JSON)
  --seed <n>           seed of the sensor noise and link losses (default 1)`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      preset: { type: "string" },
      duration: { type: "string" },
      boards: { type: "string", default: "1" },
      speed: { type: "string", default: "max" },
      broker: { type: "string", default: process.env.CELLRIG_BROKER },
      out: { type: "string" },
      faults: { type: "string" },
      rig: { type: "string" },
      protocol: { type: "string" },
      seed: { type: "string", default: "1" },
    });
    if (!values.preset) throw new UsageError(`--preset is required; choose one of ${presetNames().join(", ")}`);
    if (!presetNames().includes(values.preset)) throw new UsageError(`--preset "${values.preset}" does not exist; choose one of ${presetNames().join(", ")}`);
    if (!values.duration) throw new UsageError("--duration is required (e.g. 90s, 12h, 7d)");
    const duration_s = parseDuration(values.duration);
    const speed = parseSpeed(values.speed);
    const boards = Number(values.boards);
    if (!Number.isInteger(boards) || boards < 1 || boards > 64) throw new UsageError(`--boards must be a whole number from 1 to 64, got "${values.boards}"`);
    const seed = Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number of 0 or more, got "${values.seed}"`);
    const faults = values.faults ? parseFaultSchedule(readJson(values.faults, "fault schedule"), `fault schedule ${values.faults}`) : [];
    const outDir = resolve(values.out ?? `sim-out/${values.preset}`);

    const stops: (() => Promise<void>)[] = [];
    try {
      let broker: SimRunOptions["broker"];
      let accounts: LocalAccounts | undefined;
      if (values.broker) {
        broker = brokerAddress(values.broker);
        process.stderr.write(`broker      ${values.broker} (external)\n`);
      } else {
        accounts = new LocalAccounts();
        const embedded = await startEmbeddedBroker({ host: "127.0.0.1", port: 0, access: accounts.access });
        stops.push(() => embedded.close());
        // The boards reach the embedded broker in memory; other clients still connect over TCP.
        broker = { host: "127.0.0.1", port: embedded.port, accept: embedded.accept };
        process.stderr.write(`broker      ${embedded.url} (embedded; each board logs in with its own account, made for this run)\n`);
      }
      const tty = process.stderr.isTTY === true;
      const result = await runSimulation({
        preset: values.preset,
        ...(values.rig ? { rigPath: resolve(values.rig) } : {}),
        boards,
        duration_s,
        speed,
        broker,
        ...(accounts === undefined ? {} : { storage: (serial: string, config: RigConfig) => simulatedBoardFiles(config, serial, undefined, accounts) }),
        outDir,
        faults,
        ...(values.protocol ? { presetOverrides: { Protocol: readJson(values.protocol, "cycling protocol") as never } } : {}),
        seed,
        progressEvery_ms: tty ? 250 : 5000,
        onProgress: (p) => process.stderr.write(tty ? `\r${progressLine(p)}` : `${progressLine(p)}\n`),
      });
      if (tty) process.stderr.write("\n");
      const errors = result.errors.reduce((n, e) => n + e.length, 0);
      console.log(`preset      ${values.preset}, rig "${result.config.rig}", build ${result.bundleHash}`);
      console.log(`boards      ${result.serials.join(", ")}`);
      console.log(`simulated   ${clockText(result.simulated_s)} in ${result.wall_s.toFixed(1)} s wall (×${Math.round(result.realtimeFactor).toLocaleString("en")})`);
      console.log(`frames      ${result.frames} published, ${result.acknowledged} publishes acknowledged`);
      console.log(`faults      ${result.faults.filter((f) => f.phase === "begin").length} applied`);
      console.log(`reboots     ${result.reboots.reduce((a, b) => a + b, 0)}; firmware errors ${errors}`);
      console.log(`truth       ${outDir}`);
      for (const [i, list] of result.errors.entries()) for (const e of list.slice(0, 3)) console.error(`board ${result.serials[i]}: ${e.name}: ${e.message}`);
      return errors > 0 ? 1 : 0;
    } finally {
      for (const stop of stops.reverse()) await stop();
    }
  },
};
