import { execFile } from "node:child_process";

// The CLI as a user runs it: a separate Node process on bin/cellrig.js, its exit code and both streams.

const CLI = new URL("../../bin/cellrig.js", import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Added to (or, as "", blanking) this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Replaces the environment instead. */
  onlyEnv?: NodeJS.ProcessEnv;
  cwd?: string;
  timeout_ms?: number;
}

export function cellrig(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env = options.onlyEnv ?? { ...process.env, ...options.env };
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, cwd: options.cwd, timeout: options.timeout_ms ?? 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
