import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { stopChild } from "./services.ts";

const CLI = fileURLToPath(new URL("../../bin/cellrig.js", import.meta.url));

export interface BridgeProcess {
  child: ChildProcess;
  /** The bridge's HTTP API. */
  http: string;
  output(): string;
  /** SIGTERM: commit, acknowledge, stop. */
  stop(): Promise<void>;
  /** SIGKILL: no chance to commit or acknowledge anything. */
  kill(): Promise<void>;
}

/** Runs `cellrig bridge` as its own process, as an operator would, and waits until it serves HTTP. */
export async function startBridgeProcess(args: string[]): Promise<BridgeProcess> {
  const child = spawn(process.execPath, [CLI, "bridge", "--http-port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += String(chunk)));
  child.stderr!.on("data", (chunk) => (output += String(chunk)));
  const http = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cellrig bridge did not start within 30 s:\n${output}`)), 30_000);
    const look = () => {
      const match = /^http\s+(\S+)$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", look);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`cellrig bridge exited (${code ?? signal}) before serving HTTP:\n${output}`));
    });
  });
  return {
    child,
    http,
    output: () => output,
    stop: () => stopChild(child, "SIGTERM"),
    kill: () => stopChild(child, "SIGKILL"),
  };
}
