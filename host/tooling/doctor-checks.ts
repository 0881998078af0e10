import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import mqtt from "mqtt";
import { connectEspruino } from "./espruino-tools.ts";
import { loadNrfDeviceLib } from "./nrf-device-lib.ts";
import { findNrfutil } from "./nrfutil.ts";

// What `cellrig doctor` looks at, one finding per thing, each saying what to do when it is not ok.

export interface Finding {
  level: "ok" | "warn" | "fail";
  /** What was checked and what was found. */
  what: string;
  /** What to do about it; none when ok. */
  fix?: string;
}

const ok = (what: string): Finding => ({ level: "ok", what });
const warn = (what: string, fix: string): Finding => ({ level: "warn", what, fix });
const fail = (what: string, fix: string): Finding => ({ level: "fail", what, fix });

/** Whether `version` (20.19.1) is at least `range`'s minimum (">=20.19"). */
export function satisfiesMinimum(version: string, range: string): boolean {
  const want = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (want === null) return true;
  const have = version.replace(/^v/, "").split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const a = have[i] ?? 0;
    const b = Number(want[i + 1] ?? 0);
    if (a !== b) return a > b;
  }
  return true;
}

export function checkNode(version: string, engines: string): Finding {
  return satisfiesMinimum(version, engines)
    ? ok(`Node ${version} (package needs ${engines})`)
    : fail(`Node ${version} is older than the package needs (${engines})`, `install Node ${engines.replace(">=", "")} or newer (nodejs.org, or nvm install 20)`);
}

/** Every dependency of package.json installed under node_modules. */
export function checkDependencies(root: string): Finding {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  const names = Object.keys(pkg.dependencies ?? {});
  const missing = names.filter((name) => !existsSync(join(root, "node_modules", name, "package.json")));
  return missing.length === 0 ? ok(`${names.length} dependencies installed`) : fail(`dependencies missing: ${missing.join(", ")}`, "run npm ci in the cellrig directory");
}

/** The optional native parts: each loads, or the feature that needs it is named. */
export async function checkNativeParts(root: string): Promise<Finding[]> {
  const require = createRequire(join(root, "package.json"));
  const findings: Finding[] = [];
  try {
    const { SerialPort } = require("serialport") as { SerialPort: { list(): Promise<unknown[]> } };
    await SerialPort.list();
    findings.push(ok("serial-port bindings load (flash and gateway over USB)"));
  } catch (err) {
    findings.push(warn(`serial-port bindings do not load: ${firstLine(err)}`, "flash over tcp:// still works; for USB run npm rebuild @serialport/bindings-cpp (needs a C++ toolchain where no prebuilt binary fits)"));
  }
  try {
    const { DuckDBInstance } = (await import("@duckdb/node-api")) as { DuckDBInstance: { create(path: string): Promise<{ closeSync?(): void }> } };
    const db = await DuckDBInstance.create(":memory:");
    db.closeSync?.();
    findings.push(ok("DuckDB binding loads (sample storage)"));
  } catch (err) {
    findings.push(fail(`DuckDB binding does not load: ${firstLine(err)}`, "the bridge cannot store samples: run npm ci on a platform @duckdb/node-api has binaries for, or use --store postgres://..."));
  }
  try {
    await import("@resvg/resvg-js");
    findings.push(ok("resvg loads (PNG figures of cellrig analyze)"));
  } catch (err) {
    findings.push(warn(`resvg does not load: ${firstLine(err)}`, "cellrig analyze still writes SVG; for PNG run npm ci on a platform @resvg/resvg-js has binaries for"));
  }
  const deviceLib = loadNrfDeviceLib();
  if (deviceLib.ok) findings.push(ok("nrf-device-lib-js loads (flash-interpreter for nRF52 boards)"));
  else {
    const nrfutil = findNrfutil(process.env);
    findings.push(
      nrfutil === undefined
        ? warn(`nrf-device-lib-js cannot be used (${deviceLib.reason}) and nrfutil is not on PATH`, "only flash-interpreter needs them: install Nordic's nrfutil with its device command to program nRF52 boards")
        : ok(`nrfutil at ${nrfutil} (flash-interpreter; nrf-device-lib-js is not installed)`),
    );
  }
  return findings;
}

/** Serial ports the system offers, as serialport lists them. */
export async function checkSerialPorts(root: string): Promise<Finding> {
  try {
    const { SerialPort } = createRequire(join(root, "package.json"))("serialport") as { SerialPort: { list(): Promise<{ path: string; manufacturer?: string }[]> } };
    const ports = await SerialPort.list();
    if (ports.length === 0) return warn("no serial ports", "plug the board in with a data cable (not a charge-only one); on Linux, add yourself to the dialout group");
    return ok(`serial ports: ${ports.map((p) => (p.manufacturer ? `${p.path} (${p.manufacturer})` : p.path)).join(", ")}`);
  } catch (err) {
    return warn(`serial ports cannot be listed: ${firstLine(err)}`, "the serial-port bindings do not load (see above)");
  }
}

/** TCP connect and MQTT CONNECT/CONNACK with the broker. */
export async function checkBroker(url: string, explicit: boolean, timeout_ms = 5000): Promise<Finding> {
  try {
    const client = await mqtt.connectAsync(url, { protocolVersion: 4, connectTimeout: timeout_ms, reconnectPeriod: 0, clean: true });
    await client.endAsync(true);
    return ok(`MQTT broker at ${url} accepts a connection`);
  } catch (err) {
    const what = `no MQTT broker answers at ${url}: ${firstLine(err)}`;
    const fix = "start one (cellrig broker, cellrig start, or mosquitto) or name yours with --broker mqtt://host:port";
    return explicit ? fail(what, fix) : warn(what, fix);
  }
}

/** A board on `port`: its interpreter, id and free memory, through espruino-tools. */
export async function checkBoard(port: string): Promise<Finding[]> {
  let link;
  try {
    link = await connectEspruino({ port });
  } catch (err) {
    return [fail(`no board answers on ${port}: ${firstLine(err)}`, "check the cable, the port name (cellrig doctor lists the serial ports), that the board is powered and runs Espruino, and that no other program holds the port")];
  }
  try {
    const env = link.env;
    const findings = [ok(`board on ${port}: ${String(env.BOARD)}, Espruino ${String(env.VERSION)}, serial ${String(env.SERIAL)}`)];
    const memory = (await link.evaluate("process.memory()")) as { free?: number; total?: number };
    if (typeof memory.free === "number" && typeof memory.total === "number") {
      const share = memory.free / memory.total;
      const line = `free memory ${memory.free} of ${memory.total} JsVars`;
      findings.push(share < 0.2 ? warn(line, "little is free: a program is running or saved (reset() or cellrig flash replaces it)") : ok(line));
    }
    return findings;
  } catch (err) {
    return [fail(`the board on ${port} did not answer a query: ${firstLine(err)}`, "reset the board (its button, or unplug it) and run doctor again")];
  } finally {
    await link.close();
  }
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split("\n")[0]!;
}
