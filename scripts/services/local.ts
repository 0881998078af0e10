import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/**
 * Throwaway Mosquitto and PostgreSQL servers on free loopback ports, started from the installed
 * binaries, for integration tests and benchmarks. CELLRIG_TEST_MOSQUITTO / CELLRIG_TEST_POSTGRES
 * point at servers that are already running instead. `…Missing()` says why one cannot be had.
 */

const MOSQUITTO_BIN = "/usr/sbin/mosquitto";

export interface Service {
  url: string;
  stop(): Promise<void>;
}

export function mosquittoMissing(): string | undefined {
  if (process.env.CELLRIG_TEST_MOSQUITTO) return undefined;
  return existsSync(MOSQUITTO_BIN) ? undefined : `no Mosquitto: ${MOSQUITTO_BIN} is not installed and CELLRIG_TEST_MOSQUITTO is not set (apt-get install mosquitto, or run .ci/run)`;
}

export function postgresMissing(): string | undefined {
  if (process.env.CELLRIG_TEST_POSTGRES) return undefined;
  if (postgresBin("initdb") === undefined) return "no PostgreSQL: initdb was not found and CELLRIG_TEST_POSTGRES is not set (apt-get install postgresql, or run .ci/run)";
  if (process.getuid?.() === 0 && !hasUser("postgres")) return "no PostgreSQL: running as root and there is no postgres user to run the server as";
  return undefined;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface MosquittoOptions {
  /** Lines that replace `allow_anonymous true`: password_file, acl_file (test/security). */
  access?: string[];
  /** A second listener with TLS, reported as `tlsUrl`. */
  tls?: { certfile: string; keyfile: string };
}

/**
 * A Mosquitto that keeps every message queued for a stopped persistent session (the default drops
 * them past 1000) and lets 1000 QoS 1 messages be in flight per client.
 */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<Service & { tlsUrl?: string }> {
  const external = process.env.CELLRIG_TEST_MOSQUITTO;
  if (external && options.access === undefined && options.tls === undefined) return { url: external, stop: async () => undefined };
  const dir = mkdtempSync(join(tmpdir(), "cellrig-mosquitto-"));
  const port = await freePort();
  const tlsPort = options.tls === undefined ? 0 : await freePort();
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(
    conf,
    [
      "per_listener_settings false",
      ...(options.access ?? ["allow_anonymous true"]),
      `listener ${port} 127.0.0.1`,
      ...(options.tls === undefined ? [] : [`listener ${tlsPort} 127.0.0.1`, `certfile ${options.tls.certfile}`, `keyfile ${options.tls.keyfile}`]),
      "persistence false", "max_queued_messages 0", "max_inflight_messages 1000", "set_tcp_nodelay true", "",
    ].join("\n"),
  );
  const child = spawn(MOSQUITTO_BIN, ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += String(chunk)));
  await waitForPort(port, child, () => `mosquitto did not start: ${stderr}`);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    ...(options.tls === undefined ? {} : { tlsUrl: `mqtts://127.0.0.1:${tlsPort}` }),
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database: on CELLRIG_TEST_POSTGRES's server, or on a throwaway cluster. */
export async function startPostgres(): Promise<Service> {
  const external = process.env.CELLRIG_TEST_POSTGRES;
  if (external) {
    const name = `cellrig_test_${process.pid}_${Date.now()}`;
    await adminQuery(external, `CREATE DATABASE ${name}`);
    const url = new URL(external);
    url.pathname = `/${name}`;
    return { url: url.toString(), stop: () => adminQuery(external, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  }
  const dir = mkdtempSync(join(tmpdir(), "cellrig-postgres-"));
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root; the cluster then belongs to the postgres user.
  if (asRoot) chownSync(dir, uid("postgres"), gid("postgres"));
  const run = (bin: string, args: string[]) => {
    const path = postgresBin(bin)!;
    return asRoot ? execFileSync("runuser", ["-u", "postgres", "--", path, ...args], { stdio: "pipe" }) : execFileSync(path, args, { stdio: "pipe" });
  };
  const data = join(dir, "data");
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  run("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-w", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, "start"]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function postgresBin(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir && existsSync(join(dir, name))) return join(dir, name);
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) if (existsSync(join(root, version, "bin", name))) return join(root, version, "bin", name);
  return undefined;
}

function hasUser(name: string): boolean {
  try {
    execFileSync("id", ["-u", name], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

function uid(name: string): number {
  return Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
}

function gid(name: string): number {
  return Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
}

async function waitForPort(port: number, child: ChildProcess, failure: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(failure());
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}
