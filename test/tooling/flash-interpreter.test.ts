import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeFlashInterpreter } from "../../cli/commands/flash-interpreter.ts";
import { loadNrfDeviceLib, PACKAGE, type NrfDevice, type NrfDeviceLib } from "../../host/tooling/nrf-device-lib.ts";
import { cellrig as runCellrig } from "../support/cli.ts";

const cellrig = (args: string[], env: NodeJS.ProcessEnv) => runCellrig(args, { onlyEnv: env, timeout_ms: 60_000 });

type Call = [name: string, ...args: unknown[]];

/** Stands in for nrf-device-lib-js: records every call and answers like the library does. */
function fakeLib(devices: NrfDevice[]): { lib: NrfDeviceLib; calls: Call[] } {
  const calls: Call[] = [];
  const context = { fake: "context" };
  const lib: NrfDeviceLib = {
    createContext() {
      calls.push(["createContext"]);
      return context;
    },
    async enumerate(ctx, traits) {
      calls.push(["enumerate", ctx, traits]);
      return devices;
    },
    firmwareProgram(ctx, id, input, format, path, done, progress) {
      calls.push(["firmwareProgram", ctx, id, input, format, path]);
      progress({ progressJson: { progressPercentage: 40, message: "Writing" } });
      progress({ progressJson: { progressPercentage: 100, message: "Writing" } });
      setTimeout(() => done(), 0);
      return 1;
    },
    async deviceControlReset(ctx, id) {
      calls.push(["deviceControlReset", ctx, id]);
      return undefined;
    },
  };
  return { lib, calls };
}

describe("cellrig flash-interpreter", () => {
  let dir: string;
  let hex: string;
  let zip: string;
  const nodeOnlyPath = dirname(process.execPath);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "cellrig-nrf-"));
    hex = join(dir, "espruino_2v29_nrf52840.hex");
    zip = join(dir, "espruino_2v29_nrf52840_dfu.zip");
    writeFileSync(hex, ":00000001FF\n");
    writeFileSync(zip, "PK");
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("without nrf-device-lib-js or nrfutil, exits non-zero naming nrfutil as the alternative", async () => {
    const result = await cellrig(["flash-interpreter", "--board", "nrf52840dk", "--firmware", hex], { PATH: nodeOnlyPath });
    expect(result.code).toBe(1);
    // Not installed here; where npm installed it without its native part, the reason says so instead.
    const reason = `${PACKAGE} is (not installed|installed without its native library \\(.*\\))`;
    expect(result.stderr.trim()).toMatch(
      new RegExp(
        `^cellrig flash-interpreter: nrf-device-lib-js cannot be used: ${reason}\\. ` +
          `The alternative is Nordic's nrfutil command line \\("nrfutil device program"\\), which is not on PATH either: install nrfutil with its device command and run this again$`,
      ),
    );
  });

  it("falls back to nrfutil from PATH: programs, then resets after a HEX", async () => {
    const bin = join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    const log = join(dir, "nrfutil-calls.txt");
    writeFileSync(join(bin, "nrfutil"), `#!/bin/sh\necho "$@" >> "${log}"\necho "programmed"\n`);
    chmodSync(join(bin, "nrfutil"), 0o755);
    const result = await cellrig(["flash-interpreter", "--board", "nrf52840dk", "--firmware", hex, "--serial", "683298616"], { PATH: `${bin}:${nodeOnlyPath}` });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`. The alternative is Nordic's nrfutil command line ("nrfutil device program"): using ${join(bin, "nrfutil")}`);
    expect(readFileSync(log, "utf8").trim().split("\n")).toEqual([
      `device program --firmware ${hex} --serial-number 683298616`,
      "device reset --serial-number 683298616",
    ]);
  });

  it("refuses a board that is not an nRF52", async () => {
    const result = await cellrig(["flash-interpreter", "--board", "esp32", "--firmware", hex], { PATH: nodeOnlyPath });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^cellrig flash-interpreter: board esp32 \(.+\) is not an nRF52 board: flash-interpreter programs .*nrf52840dk/);
  });

  it("programs a HEX through the library over J-Link, then resets the device", async () => {
    const { lib, calls } = fakeLib([{ id: 7, serialNumber: "683298616", traits: { jlink: true } }]);
    const printed: string[] = [];
    const command = makeFlashInterpreter({ loadDeviceLib: () => ({ ok: true, lib }), env: { PATH: "" }, print: (line) => printed.push(line) });
    expect(await command.run(["--board", "nrf52840dk", "--firmware", hex])).toBe(0);
    const context = { fake: "context" };
    expect(calls).toEqual([
      ["createContext"],
      ["enumerate", context, { jlink: true }],
      ["firmwareProgram", context, 7, "NRFDL_FW_FILE", "NRFDL_FW_INTEL_HEX", hex],
      ["deviceControlReset", context, 7],
    ]);
    expect(printed).toEqual([`programming nrf52840dk with ${hex} (nrf-device-lib-js)`, "Writing 40%", "Writing 100%", "done: device 683298616 runs the new interpreter"]);
  });

  it("programs a DFU zip through the bootloader without a reset, and picks the device by serial number", async () => {
    const { lib, calls } = fakeLib([
      { id: 3, serialNumber: "AAA", traits: { nordicDfu: true } },
      { id: 4, serialNumber: "BBB", traits: { nordicDfu: true } },
    ]);
    const command = makeFlashInterpreter({ loadDeviceLib: () => ({ ok: true, lib }), env: {}, print: () => {} });
    expect(await command.run(["--board", "mdbt42q", "--firmware", zip, "--serial", "BBB"])).toBe(0);
    expect(calls.map(([name]) => name)).toEqual(["createContext", "enumerate", "firmwareProgram"]);
    expect(calls[1]![2]).toEqual({ nordicDfu: true });
    expect(calls[2]!.slice(2)).toEqual([4, "NRFDL_FW_FILE", "NRFDL_FW_SDFU_ZIP", zip]);
  });

  it("asks for --serial when several devices are connected", async () => {
    const { lib, calls } = fakeLib([
      { id: 3, serialNumber: "AAA" },
      { id: 4, serialNumber: "BBB" },
    ]);
    const command = makeFlashInterpreter({ loadDeviceLib: () => ({ ok: true, lib }), env: {}, print: () => {} });
    await expect(command.run(["--board", "nrf52840dk", "--firmware", hex])).rejects.toThrow("2 nRF devices with a J-Link debugger (connect the board's debug USB port) are connected (AAA, BBB): choose one with --serial");
    expect(calls.map(([name]) => name)).toEqual(["createContext", "enumerate"]);
  });
});

describe("loading nrf-device-lib-js", () => {
  let dir: string;
  let from: string;
  let packageDir: string;

  beforeAll(() => {
    // An installed package whose functions would record being called, as the real one's silent no-ops would run.
    dir = mkdtempSync(join(tmpdir(), "cellrig-nrf-lib-"));
    packageDir = join(dir, "node_modules", ...PACKAGE.split("/"));
    mkdirSync(packageDir, { recursive: true });
    writeFileSync(join(packageDir, "package.json"), JSON.stringify({ name: PACKAGE, version: "0.7.1", main: "index.js" }));
    const names = ["createContext", "enumerate", "firmwareProgram", "deviceControlReset"];
    writeFileSync(join(packageDir, "index.js"), names.map((n) => `exports.${n} = function () { (globalThis.nrfCalls = globalThis.nrfCalls || []).push("${n}"); };`).join("\n"));
    from = pathToFileURL(join(dir, "caller.js")).href;
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("reports the package as unusable when its native module file is missing, without calling it", () => {
    const loaded = loadNrfDeviceLib(from);
    expect(loaded).toEqual({ ok: false, reason: `${PACKAGE} is installed without its native library (its install downloads it from Nordic's website, which fails offline)` });
    expect((globalThis as { nrfCalls?: string[] }).nrfCalls).toBeUndefined();
  });

  it("loads it once the native module file is there", () => {
    mkdirSync(join(packageDir, "build", "Release"), { recursive: true });
    writeFileSync(join(packageDir, "build", "Release", "nrf-device-lib-js.node"), "");
    const loaded = loadNrfDeviceLib(from);
    expect(loaded.ok).toBe(true);
    expect((globalThis as { nrfCalls?: string[] }).nrfCalls).toBeUndefined();
  });

  it("reports the package as not installed when it cannot be resolved", () => {
    expect(loadNrfDeviceLib(pathToFileURL(join(tmpdir(), "nowhere", "caller.js")).href)).toEqual({ ok: false, reason: `${PACKAGE} is not installed` });
  });
});
