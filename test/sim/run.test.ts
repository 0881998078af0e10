// A simulated day of the graphite-nmc-gas rig at max speed into the embedded broker, the board's
// connection in memory as in the benchmark: every frame arrives at a subscriber once and in order, and the sensors' samples, calibrated, follow the ground truth written beside the run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import { decodeSamples } from "../../protocol/decode/block.ts";
import { sampleTimes_us } from "../../protocol/decode/sample-times.ts";
import { readGroundTruth, type GroundTruth } from "../../sim/physics/index.ts";
import { runSimulation, type SimRunResult } from "../../sim/run.ts";
import { Collector } from "./support/collector.ts";

const DAY_s = 86400;
const START_s = 1_800_000_000;

/** Ground truth of a column at a Unix time (the cell steps once a second; linear in between). */
function truthAt(truth: GroundTruth, column: string, unix_s: number): number {
  const t = unix_s - START_s;
  const i = Math.floor(t);
  const w = t - i;
  const values = truth.columns[column]!;
  return values[i]! + w * (values[Math.min(i + 1, truth.rows - 1)]! - values[i]!);
}

describe("cellrig sim: a day of graphite-nmc-gas into a broker", () => {
  let broker: EmbeddedBroker;
  let collector: Collector;
  let result: SimRunResult;
  let truth: GroundTruth;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cellrig-sim-"));
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    collector = await Collector.start(broker.url);
    result = await runSimulation({ preset: "graphite-nmc-gas", boards: 1, duration_s: DAY_s, speed: "max", broker: { host: "127.0.0.1", port: broker.port, accept: broker.accept }, outDir: dir, start_s: START_s });
    await collector.waitFor("data", result.frames);
    truth = readGroundTruth(result.groundTruth[0]!);
  }, 180_000);

  afterAll(async () => {
    await collector?.stop();
    await broker?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("runs the bundle without an error or a reboot", () => {
    expect(result.errors).toEqual([[]]);
    expect(result.reboots).toEqual([0]);
    expect(result.simulated_s).toBe(DAY_s);
  });

  it("delivers every frame of the day, in order, each acknowledged", () => {
    // QoS 1 is at least once: should the link drop (a starved CI machine can stall the broker past
    // the board's keep-alive), the frames in flight are published again and stored once by (boot, seq).
    const published = collector.of("data", "sim-1");
    const redelivered = result.frames - DAY_s;
    expect(redelivered).toBeGreaterThanOrEqual(0);
    expect(redelivered).toBeLessThanOrEqual(result.frames * 0.001);
    expect(result.framesAcknowledged).toBeGreaterThanOrEqual(DAY_s);
    expect(published.length).toBeGreaterThanOrEqual(DAY_s);
    const frames = [...new Map(published.map((f) => [f.s, f])).values()].sort((x, y) => x.s - y.s);
    expect(frames.length).toBe(DAY_s);
    for (let i = 1; i < frames.length; i++) {
      expect(frames[i]!.s - frames[i - 1]!.s).toBe(1);
      expect(frames[i]!.t - frames[i - 1]!.t).toBe(1_000_000);
    }
  });

  it("writes the ground truth at full resolution over the whole run", () => {
    expect(truth.rows).toBe(DAY_s + 1);
    expect(truth.columns.test_time_second![DAY_s]).toBe(DAY_s);
    expect(truth.meta.constants.startUnixTime_s).toBe(START_s);
    expect(truth.cycles.length).toBeGreaterThanOrEqual(1);
  });

  it("samples, calibrated, follow the true pressure, current and voltage", () => {
    const [birth] = collector.of("birth", "sim-1");
    const channels = result.config.channels;
    const frames = collector.of("data", "sim-1");
    const check = (id: string, column: string, tolerance: number) => {
      const index = channels.findIndex((c) => c.id === id);
      const cal = channels[index]!.calibration;
      if (cal.kind !== "linear") throw new Error(`channel ${id} is not linear`);
      for (const frame of [frames[100]!, frames[40_000]!, frames[DAY_s - 2]!]) {
        const raw = decodeSamples(frame.c[index]!);
        const times = sampleTimes_us(frame, birth!, index);
        // The INA226 averages over 35 ms before the sample: compare away from current steps.
        for (let k = 0; k < raw.length; k++) expect(Math.abs(cal.gain * raw[k]! + cal.offset - truthAt(truth, column, times[k]! / 1e6))).toBeLessThan(tolerance);
      }
    };
    check("p1", "cell_pressure_pa", 40);
    check("p2", "cell_pressure_pa", 40);
    check("i1", "current_ampere", 5e-6);
    check("v1", "voltage_volt", 3e-3);
  });
});
