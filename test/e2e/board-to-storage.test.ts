import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBoardProfile } from "../../boards/profile.ts";
import { validateRigConfig } from "../../boards/rig-config.ts";
import { lsb_V } from "../../boards/chips/ads1115.ts";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import { startBridge, type Bridge } from "../../host/bridge/bridge.ts";
import { DuckDbStore } from "../../host/store/duckdb-store.ts";
import { startWebServer, type WebServer } from "../../host/web/server.ts";
import { buildFirmware } from "../../scripts/build/bundle.ts";
import { VirtualClock } from "../../sim/runtime/clock.ts";
import { startSimRig, type SimRig } from "../../sim/rig.ts";

// One real path: the compiled bundle in the simulator reads a virtual ADS1115 over virtual I2C,
// publishes CBOR frames with its own MQTT client to a real broker over TCP, and the bridge decodes,
// validates and stores them. Nothing in between is replaced.

const START_s = 1_800_000_000;
const BASE_V = 0.9;
/** The input changes every 50 ms, half-way between the 10 Hz samples, so each sample has one true value. */
const STEP_s = 0.05;

function input_V(t_s: number): number {
  const step = Math.floor((t_s - START_s) / STEP_s + 0.5);
  return BASE_V + (step % 40) * 7 * lsb_V(4.096);
}

describe("simulated board to storage", () => {
  let broker: EmbeddedBroker;
  let store: DuckDbStore;
  let bridge: Bridge;
  let web: WebServer;
  let rig: SimRig;
  let dir: string;
  const linux = loadBoardProfile("linux");

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    const raw = JSON.parse(readFileSync(new URL("../../rigs/default.json", import.meta.url), "utf8"));
    raw.broker.port = broker.port;
    const config = validateRigConfig(raw, linux);
    const bundle = await buildFirmware({ board: linux, config });
    dir = mkdtempSync(join(tmpdir(), "cellrig-e2e-"));
    store = new DuckDbStore({ path: join(dir, "samples.duckdb") });
    await store.open();
    bridge = await startBridge({ brokerUrl: broker.url, store, mqttVersion: 4 });
    web = await startWebServer({ host: "127.0.0.1", port: 0, bridge, store });
    const clock = new VirtualClock(START_s);
    rig = startSimRig({ code: bundle.code, board: linux, config, boards: 1, clock, serialPrefix: "e2e-" });
    rig.twin(0, "p1").setInput(0, input_V);
    const realtime = clock.runRealtime({ speed: 10 });
    const deadline = Date.now() + 30_000;
    while (bridge.stats().framesStored < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    realtime.stop();
    await bridge.idle();
  });

  afterAll(async () => {
    rig?.close();
    await web?.close();
    await bridge?.stop();
    await store?.close();
    await broker?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the board ran without errors and announced itself", async () => {
    expect(rig.boards[0]!.errors).toEqual([]);
    const boards = await store.boards();
    expect(boards.map((b) => [b.board, b.rig, b.profile])).toEqual([["e2e-1", "demo", "linux"]]);
  });

  it("stores every sample equal to the virtual sensor's code at its timestamp, calibrated", async () => {
    const samples = await store.samples({ board: "e2e-1", channel: "p1" });
    expect(samples.length).toBeGreaterThanOrEqual(120);
    const twin = rig.twin(0, "p1");
    for (const s of samples) {
      expect(s.raw).toBe(twin.codeAt(s.t_us / 1e6));
      expect(s.value).toBe(31.25 * s.raw - 125000);
    }
    // 10 Hz, on the virtual clock: consecutive samples exactly 100 ms apart, none missing.
    for (let i = 1; i < samples.length; i++) expect(samples[i]!.t_us - samples[i - 1]!.t_us).toBe(100_000);
    expect(new Set(samples.map((s) => s.raw)).size).toBeGreaterThan(10);
  });

  it("no frame was rejected or lost on the way", () => {
    const stats = bridge.stats();
    expect(stats.rejected).toEqual({});
    expect(stats.sequences.map((s) => [s.board, s.missing, s.duplicates, s.late])).toEqual([["e2e-1", 0, 0, 0]]);
  });

  it("the web API serves the stored samples", async () => {
    const res = await fetch(`${web.url}/api/samples?board=e2e-1&channel=p1&limit=5`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { t_us: number[]; raw: number[]; value: number[] };
    const stored = await store.samples({ board: "e2e-1", channel: "p1", limit: 5 });
    expect(body.t_us).toEqual(stored.map((s) => s.t_us));
    expect(body.raw).toEqual(stored.map((s) => s.raw));
    expect(body.value).toEqual(stored.map((s) => s.value));
  });
});
