import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBoardProfile } from "../../boards/profile.ts";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import { checkNode, satisfiesMinimum } from "../../host/tooling/doctor-checks.ts";
import { simProfile } from "../../sim/board-profile.ts";
import { startDevicePort, type DevicePort } from "../../sim/device-port/device-port.ts";
import { SimBoard } from "../../sim/runtime/board.ts";
import { VirtualClock, type RealtimeHandle } from "../../sim/runtime/clock.ts";
import { cellrig as runCellrig } from "../support/cli.ts";

const cellrig = (args: string[]) => runCellrig(args, { env: { CELLRIG_BROKER: "" } });

describe("Node version against the package's engines", () => {
  it("compares numerically, part by part", () => {
    expect(satisfiesMinimum("v20.19.0", ">=20.19")).toBe(true);
    expect(satisfiesMinimum("v20.9.0", ">=20.19")).toBe(false);
    expect(satisfiesMinimum("v22.1.0", ">=20.19")).toBe(true);
    expect(satisfiesMinimum("v18.20.4", ">=20.19")).toBe(false);
  });

  it("says what to install when it is too old", () => {
    expect(checkNode("v18.20.4", ">=20.19")).toEqual({ level: "fail", what: "Node v18.20.4 is older than the package needs (>=20.19)", fix: "install Node 20.19 or newer (nodejs.org, or nvm install 20)" });
  });
});

describe("cellrig doctor", () => {
  let broker: EmbeddedBroker;
  let port: DevicePort;
  let realtime: RealtimeHandle;

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    const clock = new VirtualClock(Date.now() / 1000);
    const profile = simProfile(loadBoardProfile("linux"));
    port = await startDevicePort({ clock, createBoard: (code, flash) => new SimBoard({ code, flash, profile, serial: "doctor-1", clock }) });
    realtime = clock.runRealtime({ speed: 1 });
  });

  afterAll(async () => {
    realtime?.stop();
    await port?.close();
    await broker?.close();
  });

  it("reports the broker and the board on a port with its interpreter, id and free memory", { timeout: 120_000 }, async () => {
    const result = await cellrig(["doctor", "--port", port.url, "--broker", broker.url]);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/^ok {4}Node v\d+\.\d+\.\d+ \(package needs >=20\.19\)$/);
    expect(lines).toContain(`ok    MQTT broker at ${broker.url} accepts a connection`);
    expect(lines).toContain(`ok    board on ${port.url}: linux, Espruino 2v29, serial doctor-1`);
    expect(result.stdout).toMatch(/ok {4}free memory \d+ of \d+ JsVars/);
    expect(result.stdout).not.toMatch(/^fail/m);
    expect(lines.at(-2)).toBe("nothing to fix");
    expect(result.code).toBe(0);
  });

  it("fails, saying what to do, when the named broker and board are not there", { timeout: 120_000 }, async () => {
    const gone = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    await gone.close();
    const result = await cellrig(["doctor", "--port", "tcp://127.0.0.1:1", "--broker", gone.url]);
    expect(result.stdout).toContain(`fail  no MQTT broker answers at ${gone.url}`);
    expect(result.stdout).toContain("→ start one (cellrig broker, cellrig start, or mosquitto) or name yours with --broker mqtt://host:port");
    expect(result.stdout).toContain("fail  no board answers on tcp://127.0.0.1:1: cannot connect to tcp://127.0.0.1:1");
    expect(result.stdout).toContain("2 things to fix");
    expect(result.code).toBe(1);
  });
});
