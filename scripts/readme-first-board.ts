import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./build/repo-root.ts";

// Runs the README's "First board in five minutes" as a new user would, in an empty directory:
// each command of its sh block in order, `&` ones in the background (ready once they print a
// line), `cellrig monitor` until it shows a data frame. The ports the README names are swapped for
// free ones so the run does not collide with anything listening.
//
//   npx tsx scripts/readme-first-board.ts     prints the transcript; exit code 1 when a step fails

const SECTION = "## First board in five minutes";
const CLI = join(REPO_ROOT, "bin", "cellrig.js");
const STEP_TIMEOUT_ms = 240_000;
const READY_TIMEOUT_ms = 60_000;
const MONITOR_TIMEOUT_ms = 60_000;

/** The commands of the section's first sh block, one per line. */
export function firstBoardCommands(readme: string): string[] {
  const start = readme.indexOf(SECTION);
  if (start < 0) throw new Error(`README has no "${SECTION}" section`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start));
  if (block === null) throw new Error(`the "${SECTION}" section has no sh block`);
  return block[1]!
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/** The port numbers the commands name (after --port or in a URL), in order of first use. */
export function portsNamed(commands: string[]): string[] {
  const ports: string[] = [];
  for (const c of commands) for (const m of c.matchAll(/(?:--port |:)(\d{2,5})\b/g)) if (!ports.includes(m[1]!)) ports.push(m[1]!);
  return ports;
}

export interface StepResult {
  command: string;
  kind: "run" | "background" | "watch";
  code: number | null;
  output: string;
}

export interface FirstBoardRun {
  steps: StepResult[];
  /** The monitor's data lines. */
  dataLines: string[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(args: string[], cwd: string): Started {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until(test: () => boolean, timeout_ms: number, exited: Promise<unknown>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeout_ms;
  while (!test()) {
    if (gone || Date.now() > deadline) return test();
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** Stops a process this run started: SIGINT as Ctrl-C would, then SIGKILL if it lingers. */
async function stop(started: Started): Promise<number | null> {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return started.child.exitCode;
  started.child.kill("SIGINT");
  const timer = setTimeout(() => started.child.kill("SIGKILL"), 10_000);
  const code = await started.exited;
  clearTimeout(timer);
  return code;
}

const DATA_LINE = /\bdata\s+\S+=-?\d/;

/** Runs the section's commands in `dir` (a fresh temporary directory when not given); throws at the first step that fails. */
export async function runFirstBoard(options: { readme?: string; dir?: string; log?: (line: string) => void } = {}): Promise<FirstBoardRun> {
  const readme = options.readme ?? readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const log = options.log ?? (() => {});
  let commands = firstBoardCommands(readme);
  for (const port of portsNamed(commands)) {
    const free = String(await freePort());
    commands = commands.map((c) => c.replace(new RegExp(`(--port |:)${port}\\b`, "g"), `$1${free}`));
  }
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "cellrig-first-board-"));
  const background: Started[] = [];
  const steps: StepResult[] = [];
  let dataLines: string[] = [];
  try {
    for (const command of commands) {
      const words = command.replace(/\s*&$/, "").split(/\s+/);
      if (words[0] !== "npx" || words[1] !== "cellrig") throw new Error(`README step "${command}" is not an npx cellrig command`);
      if (/["'`$|;<>]/.test(command)) throw new Error(`README step "${command}" needs a shell; keep the section's commands plain`);
      const args = words.slice(2);
      log(`$ ${command}`);
      const started = start(args, dir);
      if (command.endsWith("&")) {
        background.push(started);
        const ready = await until(() => started.output().includes("\n"), READY_TIMEOUT_ms, started.exited);
        steps.push({ command, kind: "background", code: started.child.exitCode, output: started.output() });
        log(started.output().trimEnd());
        if (!ready || started.child.exitCode !== null) throw new Error(`"${command}" did not start: ${started.output() || "no output"}`);
      } else if (args[0] === "monitor") {
        const seen = await until(() => DATA_LINE.test(started.output()), MONITOR_TIMEOUT_ms, started.exited);
        const code = await stop(started);
        steps.push({ command, kind: "watch", code, output: started.output() });
        log(started.output().trimEnd());
        dataLines = started.output().split("\n").filter((l) => DATA_LINE.test(l));
        if (!seen) throw new Error(`"${command}" showed no data within ${MONITOR_TIMEOUT_ms / 1000} s: ${started.output()}`);
        if (code !== 0) throw new Error(`"${command}" exited with ${code} on Ctrl-C`);
      } else {
        const timer = setTimeout(() => started.child.kill("SIGKILL"), STEP_TIMEOUT_ms);
        const code = await started.exited;
        clearTimeout(timer);
        steps.push({ command, kind: "run", code, output: started.output() });
        log(started.output().trimEnd());
        if (code !== 0) throw new Error(`"${command}" exited with ${code}: ${started.output()}`);
      }
    }
  } finally {
    for (const b of background.reverse()) await stop(b);
    if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
  }
  return { steps, dataLines };
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"))) {
  runFirstBoard({ log: (line) => console.log(line) }).then(
    () => console.log("README first board: every step ran"),
    (err: Error) => {
      console.error(`README first board: ${err.message}`);
      process.exitCode = 1;
    },
  );
}
