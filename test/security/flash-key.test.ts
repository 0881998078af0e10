import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CommandKeys } from "../../host/bridge/command-keys.ts";
import { CommandSender, encodeCommand } from "../../host/bridge/command-sender.ts";
import { decodeMessage, type Messages } from "../../protocol/decode/message.ts";
import type { Command } from "../../protocol/schema/command.ts";
import { KEY_FILE } from "../../sim/provision.ts";
import { cellrig } from "../support/cli.ts";
import { startFlashBench, type FlashBench } from "../support/flash-bench.ts";

// `cellrig flash` provisions a command key as it uploads: made in the data folder, written to the
// board's Storage over the console as the configuration is, and in force once the board restarts.

describe("cellrig flash provisions the board's command key", () => {
  let bench: FlashBench;
  const dir = mkdtempSync(join(tmpdir(), "cellrig-flash-key-"));
  const data = join(dir, "data");
  const rig = JSON.parse(readFileSync(new URL("../../rigs/default.json", import.meta.url), "utf8"));

  beforeAll(async () => {
    bench = await startFlashBench("key-1");
  });

  afterAll(async () => {
    await bench?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the key in <data>/keys, writes it to Storage, and the board then takes only signed commands", { timeout: 180_000 }, async () => {
    const rigFile = join(dir, "rig.json");
    writeFileSync(rigFile, JSON.stringify({ ...rig, broker: { ...rig.broker, port: bench.broker.port } }));
    const result = await cellrig(["flash", "--board", "linux", "--config", rigFile, "--port", bench.port.url, "--data", data, "--timeout", "30"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const keyFile = join(data, "keys", "demo.key-1.key");
    expect(result.stdout).toContain(`command key ${keyFile}: goes to the board's Storage as ${KEY_FILE}; the bridge signs with it (cellrig bridge --keys ${data})`);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = new CommandKeys(data).get("demo", "key-1")!;
    expect(Buffer.from(bench.port.device.storage.get(KEY_FILE)!.data).equals(key)).toBe(true);

    const client = await mqtt.connectAsync(bench.broker.url, { protocolVersion: 4 });
    const acks: Messages["ack"][] = [];
    let birth: Messages["birth"] | undefined;
    client.on("message", (topic, payload) => {
      const kind = topic.endsWith("/ack") ? "ack" : "birth";
      const decoded = decodeMessage(kind, new Uint8Array(payload));
      if (!decoded.ok) return;
      if (kind === "ack") {
        acks.push(decoded.message as Messages["ack"]);
        sender.onAck("key-1", decoded.message as Messages["ack"]);
      } else birth = decoded.message as Messages["birth"];
    });
    const sender = new CommandSender(async (topic, payload) => void (await client.publishAsync(topic, Buffer.from(payload), { qos: 1 })), () => ({ key, boot: birth?.boot }));
    try {
      await client.subscribeAsync(["cellrig/v1/demo/key-1/ack", "cellrig/v1/demo/key-1/birth"], { qos: 1 });
      while (birth === undefined) await new Promise((r) => setTimeout(r, 50));
      await client.publishAsync("cellrig/v1/demo/key-1/cmd", Buffer.from(encodeCommand({ v: 1, id: 3, op: "rebirth" } as Command)), { qos: 1 });
      const deadline = Date.now() + 10_000;
      while (!acks.some((a) => a.id === 3) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(acks.find((a) => a.id === 3)).toMatchObject({ ok: false, code: "unsigned" });
      expect(await sender.send("demo", "key-1", { op: "set_rate", channel: "p1", rate_hz: 2 })).toMatchObject({ ok: true, code: "ok" });
      expect(bench.port.device.board.errors).toEqual([]);
    } finally {
      sender.cancelAll("test over");
      await client.endAsync();
    }
  });
});
