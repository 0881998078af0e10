import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBoardProfile } from "../../boards/profile.ts";
import { decodeMessage } from "../../protocol/decode/message.ts";
import { simProfile } from "../../sim/board-profile.ts";
import { startDevicePort } from "../../sim/device-port/device-port.ts";
import { bytesToString } from "../../sim/runtime/bytes.ts";
import { SimBoard } from "../../sim/runtime/board.ts";
import { cellrig } from "../support/cli.ts";
import { startFlashBench, type FlashBench } from "../support/flash-bench.ts";

// `cellrig flash` as a user runs it, against a simulated board's device port: the real
// espruino-tools code uploads, the board's Storage ends up with the program and the configuration,
// and the board announces itself on the broker.

const linux = loadBoardProfile("linux");

describe("cellrig flash to a simulated board's device port", () => {
  let bench: FlashBench;
  let dir: string;
  let rigFile: string;
  const rig = JSON.parse(readFileSync(new URL("../../rigs/default.json", import.meta.url), "utf8"));

  beforeAll(async () => {
    bench = await startFlashBench("flash-1");
    dir = mkdtempSync(join(tmpdir(), "cellrig-flash-"));
    rigFile = join(dir, "rig.json");
    writeFileSync(rigFile, JSON.stringify({ ...rig, broker: { ...rig.broker, port: bench.broker.port, username: "bench" } }));
  });

  afterAll(async () => {
    await bench?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("uploads, saves, writes cellrig.json with the password from the environment, resets, and sees the birth", { timeout: 180_000 }, async () => {
    const client = await mqtt.connectAsync(bench.broker.url);
    const seen: { topic: string; payload: Buffer }[] = [];
    client.on("message", (topic, payload) => seen.push({ topic, payload }));
    await client.subscribeAsync("cellrig/v1/demo/flash-1/#", { qos: 1 });
    try {
      const result = await cellrig(["flash", "--board", "linux", "--config", rigFile, "--port", bench.port.url, "--timeout", "30", "--data", join(dir, "data")], { env: { CELLRIG_BROKER_PASSWORD: "s3cret" } });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const lines = result.stdout.trim().split("\n");
      const hash = /hash ([0-9a-f]{12})/.exec(result.stdout)![1]!;
      expect(lines[0]).toBe('building firmware for linux with rig "demo"');
      expect(lines).toContain(`connecting to ${bench.port.url}`);
      expect(lines).toContain("connected: linux running Espruino 2v29");
      expect(lines).toContain("uploading 100%");
      expect(lines).toContain("saved to flash as .bootcde");
      expect(lines).toContain("writing cellrig.json to Storage and resetting");
      expect(lines.at(-1)).toBe(`alive: board flash-1 of rig demo, firmware 0.1.0 build ${hash}`);

      const storage = bench.port.device.storage;
      const stored = JSON.parse(bytesToString(storage.get("cellrig.json")!.data));
      expect(stored).toEqual({ ...rig, broker: { ...rig.broker, port: bench.broker.port, username: "bench", password: "s3cret" } });
      expect(bytesToString(storage.get(".bootcde")!.data)).toContain(`"${hash}"`);

      const deadline = Date.now() + 10_000;
      while (seen.filter((m) => m.topic.endsWith("/data")).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const birth = seen.find((m) => m.topic === "cellrig/v1/demo/flash-1/birth");
      const decoded = decodeMessage("birth", birth!.payload);
      expect(decoded.ok && decoded.message.fw.build).toBe(hash);
      expect(seen.filter((m) => m.topic === "cellrig/v1/demo/flash-1/data").length).toBeGreaterThanOrEqual(2);
      expect(bench.port.device.board.errors).toEqual([]);
    } finally {
      await client.endAsync();
    }
  });

  it("refuses a rig file that holds a password, before touching the board", async () => {
    const withPassword = join(dir, "rig-with-password.json");
    writeFileSync(withPassword, JSON.stringify({ ...rig, broker: { ...rig.broker, password: "in-the-file" } }));
    const result = await cellrig(["flash", "--board", "linux", "--config", withPassword, "--port", bench.port.url, "--data", join(dir, "data")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("holds a broker password: remove it from the rig file and pass it in CELLRIG_BROKER_PASSWORD or a --secrets file");
  });

  it("refuses a broker password without a user name, which MQTT cannot send, before touching the board", async () => {
    const anonymous = join(dir, "rig-anonymous.json");
    writeFileSync(anonymous, JSON.stringify({ ...rig, broker: { ...rig.broker, port: bench.broker.port } }));
    const result = await cellrig(["flash", "--board", "linux", "--config", anonymous, "--port", "tcp://127.0.0.1:1", "--data", join(dir, "data")], { env: { CELLRIG_BROKER_PASSWORD: "s3cret" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("a broker password was given but the rig configuration's broker has no username: add broker.username or drop the password");
  });

  it("says which port did not answer", async () => {
    const closed = await startDevicePort({ clock: bench.clock, createBoard: (code, flash) => new SimBoard({ code, flash, profile: simProfile(linux), serial: "gone", clock: bench.clock }) });
    await closed.close();
    const result = await cellrig(["flash", "--board", "linux", "--config", rigFile, "--port", closed.url, "--data", join(dir, "data")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot connect to ${closed.url}`);
  });
});
