import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalRig, type LocalRig } from "../../cli/commands/start.ts";
import { HOST_USERNAME } from "../../host/broker/access.ts";
import { encodeCommand } from "../../host/bridge/command-sender.ts";
import type { Command } from "../../protocol/schema/command.ts";
import { CONFIG_FILE, KEY_FILE } from "../../sim/provision.ts";
import { barrier, connect, publishSettled, record } from "./support/clients.ts";

// What `npm start` runs, with nothing set by hand: the embedded broker with its accounts, the
// bridge logged in as the host and signing with the keys it made in the data folder, and simulated
// boards that hold their own password and key in Storage.

interface BoardView {
  board: string;
  online: boolean;
  channels: { id: string; rate_hz: number; latest: { t_us: number; value: number } | null }[];
}

describe("cellrig start, secure by default", () => {
  let rig: LocalRig;
  const data = mkdtempSync(join(tmpdir(), "cellrig-secure-start-"));
  const lines: string[] = [];
  const boards = async () => (await (await fetch(`${rig.web.url}/api/boards`)).json()) as BoardView[];
  const storedText = (index: number, name: string) => Buffer.from(rig.sim.boards[index]!.flash.get(name)!.data).toString("latin1");
  const boardLogin = (index: number) => JSON.parse(storedText(index, CONFIG_FILE)).broker as { username: string; password: string };

  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeout_ms = 30_000): Promise<T> {
    const deadline = Date.now() + timeout_ms;
    while (Date.now() < deadline) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  beforeAll(async () => {
    rig = await startLocalRig({ httpHost: "127.0.0.1", httpPort: 0, brokerPort: 0, boards: 2, data }, (line) => lines.push(line));
  }, 60_000);

  afterAll(async () => {
    await rig?.stop();
    rmSync(data, { recursive: true, force: true });
  });

  it("gives each board its own broker account and a command key the host keeps in the data folder", () => {
    expect(boardLogin(0).username).toBe("sim-1");
    expect(boardLogin(1).username).toBe("sim-2");
    expect(boardLogin(0).password).not.toBe(boardLogin(1).password);
    expect(boardLogin(0).password.length).toBeGreaterThanOrEqual(20);
    for (const [i, serial] of ["sim-1", "sim-2"].entries()) {
      const keyFile = join(data, "keys", `${rig.config.rig}.${serial}.key`);
      expect(existsSync(keyFile)).toBe(true);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(Buffer.from(storedText(i, KEY_FILE), "latin1").toString("hex")).toBe(rig.keys.get(rig.config.rig, serial)!.toString("hex"));
    }
    expect(lines.join("\n")).toMatch(/keys\s+\S+keys: each board's command key/);
  });

  it("stores what the boards publish", async () => {
    const seen = await until("values from both boards", async () => {
      const list = await boards();
      return list.length === 2 && list.every((b) => b.online && b.channels.every((c) => c.latest !== null)) ? list : undefined;
    });
    expect(seen.map((b) => b.board).sort()).toEqual(["sim-1", "sim-2"]);
    // the demo cell sits near 1 atm with a ±1 K swing
    expect(seen[0]!.channels[0]!.latest!.value).toBeGreaterThan(90_000);
  }, 40_000);

  it("signs a command from the API, and the board carries it out", async () => {
    const response = await fetch(`${rig.web.url}/api/commands`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ board: "sim-1", command: { op: "set_rate", channel: "p1", rate_hz: 2 }, timeout_ms: 20_000 }),
    });
    const answer = (await response.json()) as { ack: { ok: boolean; code: string } };
    expect(response.status, JSON.stringify(answer)).toBe(200);
    expect(answer.ack).toMatchObject({ ok: true, code: "ok" });
    await until("the new rate in the board's birth", async () => ((await boards()).find((b) => b.board === "sim-1")?.channels[0]?.rate_hz === 2 ? true : undefined));
  }, 40_000);

  it("refuses a command that the bridge did not sign", async () => {
    // the host account can publish anything, so this is what a broker compromise could send
    const host = await connect(rig.brokerUrl, { username: rig.login.username!, password: rig.login.password!, clientId: "t-intruder-host" });
    const acks = record(host);
    await host.subscribeAsync(`cellrig/v1/${rig.config.rig}/sim-2/ack`, { qos: 1 });
    await host.publishAsync(`cellrig/v1/${rig.config.rig}/sim-2/cmd`, Buffer.from(encodeCommand({ v: 1, id: 7, op: "rebirth" } as Command)), { qos: 1 });
    await until("the board's refusal", async () => (acks.length > 0 ? true : undefined));
    expect(acks[0]).toContain("unsigned");
    host.end(true);
  }, 40_000);

  it("refuses a spoofed board at the embedded broker", async () => {
    await expect(connect(rig.brokerUrl, { username: "sim-1", password: "guessed-password" })).rejects.toThrow(/Bad username or password/i);
    await expect(connect(rig.brokerUrl, {})).rejects.toThrow(/Bad username or password/i);
    await expect(connect(rig.brokerUrl, { username: HOST_USERNAME, password: boardLogin(0).password })).rejects.toThrow(/Bad username or password/i);

    // board 1's own account cannot speak for board 2
    const watcher = await connect(rig.brokerUrl, { username: rig.login.username!, password: rig.login.password!, clientId: "t-watcher" });
    const seen = record(watcher);
    await watcher.subscribeAsync([`cellrig/v1/${rig.config.rig}/sim-2/alarm`, "cellrig/v1/barrier/host/birth"], { qos: 1 });
    const sim1: MqttClient = await connect(rig.brokerUrl, { ...boardLogin(0), clientId: "t-spoof" });
    await publishSettled(sim1, `cellrig/v1/${rig.config.rig}/sim-2/alarm`, "spoofed");
    await barrier(watcher, seen, 1);
    expect(seen.filter((m) => m.includes("spoofed"))).toEqual([]);
    sim1.end(true);
    watcher.end(true);
  }, 40_000);
});
