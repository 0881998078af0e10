import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrokerAccess, HOST_USERNAME, type BrokerAccount } from "../../host/broker/access.ts";
import { startEmbeddedBroker } from "../../host/broker/embedded.ts";
import { mosquittoMissing, startMosquitto } from "../../scripts/services/local.ts";
import { barrier, connect, publishSettled, record } from "./support/clients.ts";

// A spoofing board against the two brokers cellrig runs with: the embedded aedes with its access
// hooks, and Mosquitto with the shipped ACL (deploy/mosquitto/acl) and a password file.

const ACCOUNTS: BrokerAccount[] = [
  { username: HOST_USERNAME, password: "host-secret-1", role: "host" },
  { username: "b1", password: "board-one-pw", role: "board" },
  { username: "b2", password: "board-two-pw", role: "board" },
];
const ACL = new URL("../../deploy/mosquitto/acl", import.meta.url).pathname;
const MOSQUITTO_PASSWD = "/usr/bin/mosquitto_passwd";

interface Broker {
  url: string;
  stop(): Promise<void>;
}

const mosquittoAbsent = mosquittoMissing() ?? (existsSync(MOSQUITTO_PASSWD) ? undefined : `${MOSQUITTO_PASSWD} is not installed (it comes with the mosquitto package)`);
if (mosquittoAbsent !== undefined) console.warn(`SKIPPED broker access rules against Mosquitto: ${mosquittoAbsent}`);

const brokers: { name: string; absent?: string; start(): Promise<Broker> }[] = [
  {
    name: "the embedded broker (aedes hooks)",
    async start() {
      const broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0, access: new BrokerAccess(ACCOUNTS) });
      return { url: broker.url, stop: () => broker.close() };
    },
  },
  {
    name: "Mosquitto with deploy/mosquitto/acl",
    ...(mosquittoAbsent === undefined ? {} : { absent: mosquittoAbsent }),
    async start() {
      const dir = mkdtempSync(join(tmpdir(), "cellrig-acl-"));
      const passwd = join(dir, "passwd");
      ACCOUNTS.forEach((a, i) => execFileSync(MOSQUITTO_PASSWD, [...(i === 0 ? ["-c"] : []), "-b", passwd, a.username, a.password]));
      // run as root, Mosquitto drops to its own user, which must read the file
      chmodSync(dir, 0o755);
      chmodSync(passwd, 0o644);
      const service = await startMosquitto({ access: ["allow_anonymous false", `password_file ${passwd}`, `acl_file ${ACL}`] });
      return { url: service.url, stop: async () => (await service.stop(), rmSync(dir, { recursive: true, force: true })) };
    },
  },
];

for (const b of brokers) {
  describe.skipIf(b.absent !== undefined)(`broker access: ${b.name}`, () => {
    let broker: Broker;
    let host: MqttClient;
    let hostSeen: string[];
    const clients: MqttClient[] = [];
    const as = async (username: string, password: string) => {
      const c = await connect(broker.url, { username, password, clientId: `t-${username}-${clients.length}` });
      clients.push(c);
      return c;
    };

    beforeAll(async () => {
      broker = await b.start();
      host = await as(HOST_USERNAME, "host-secret-1");
      hostSeen = record(host);
      await host.subscribeAsync("cellrig/v1/#", { qos: 1 });
    });
    afterAll(async () => {
      for (const c of clients) c.end(true);
      await broker?.stop();
    });

    it("refuses a board with a wrong password, an unknown user and an anonymous client", async () => {
      await expect(connect(broker.url, { username: "b1", password: "board-two-pw" })).rejects.toThrow(/Bad username or password|Not authorized/i);
      await expect(connect(broker.url, { username: "nobody", password: "x" })).rejects.toThrow(/Bad username or password|Not authorized/i);
      await expect(connect(broker.url, {})).rejects.toThrow(/Bad username or password|Not authorized/i);
    });

    it("takes a board's own messages and drops what it publishes as another board or as the host", async () => {
      const b1 = await as("b1", "board-one-pw");
      await b1.publishAsync("cellrig/v1/rigA/b1/data", "own", { qos: 1 });
      await publishSettled(b1, "cellrig/v1/rigA/b2/data", "spoofed");
      const again = b1.connected ? b1 : await as("b1", "board-one-pw");
      await publishSettled(again, "cellrig/v1/rigA/b2/cmd", "command from a board");
      const third = again.connected ? again : await as("b1", "board-one-pw");
      await publishSettled(third, "cellrig/v1/rigA/b1/cmd", "command to itself");
      await barrier(host, hostSeen, 1);
      expect(hostSeen).toContain("cellrig/v1/rigA/b1/data own");
      expect(hostSeen.filter((m) => m.includes("spoofed") || m.includes("command"))).toEqual([]);
    });

    it("delivers a board only its own commands, whatever it subscribes to", async () => {
      const b1 = await as("b1", "board-one-pw");
      const seen = record(b1);
      // refused filters come back as 0x80 in the SUBACK (aedes) or are granted and never match (Mosquitto)
      await new Promise((resolve) => b1.subscribe(["cellrig/v1/rigA/b1/cmd", "cellrig/v1/rigA/b2/cmd", "cellrig/v1/#", "#"], { qos: 1 }, resolve));
      await host.publishAsync("cellrig/v1/rigA/b2/cmd", "for b2", { qos: 1 });
      await host.publishAsync("cellrig/v1/rigA/b2/data", "b2 data", { qos: 1 });
      await host.publishAsync("cellrig/v1/rigA/b1/cmd", "for b1", { qos: 1 });
      const deadline = Date.now() + 5000;
      while (!seen.some((m) => m.endsWith("for b1")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await barrier(host, hostSeen, 2);
      expect(seen).toEqual(["cellrig/v1/rigA/b1/cmd for b1"]);
    });
  });
}
