// Faults on schedule, seen where the host sees them: quality flags in frames, a clock step in the
// sample times, a second birth after a brown-out, frames held through a broker outage and delivered after.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import { QUALITY_LOW_OPTICAL_SUM, QUALITY_OPEN_CIRCUIT } from "../../protocol/wire/data-frame.ts";
import type { Data } from "../../protocol/schema/data.ts";
import { parseFaultSchedule, type FaultSchedule } from "../../sim/faults.ts";
import { runSimulation, type SimRunResult } from "../../sim/run.ts";
import { Collector } from "./support/collector.ts";

const START_s = 1_800_000_000;

/** Frames whose start lies in [from_s, to_s) after the run's start, on the board's clock. */
function within(frames: Data[], from_s: number, to_s: number): Data[] {
  return frames.filter((f) => f.t >= (START_s + from_s) * 1e6 && f.t < (START_s + to_s) * 1e6);
}

async function run(preset: string, faults: FaultSchedule, duration_s: number): Promise<{ result: SimRunResult; collector: Collector; broker: EmbeddedBroker }> {
  const broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
  const collector = await Collector.start(broker.url);
  const result = await runSimulation({ preset, boards: 1, duration_s, speed: "max", broker: { host: "127.0.0.1", port: broker.port }, faults, start_s: START_s });
  await collector.waitFor("data", result.frames);
  return { result, collector, broker };
}

describe("faults on the graphite-nmc-gas rig", () => {
  let r: Awaited<ReturnType<typeof run>>;
  const i1 = 5;

  beforeAll(async () => {
    r = await run("graphite-nmc-gas", parseFaultSchedule([
      { at_s: 60, kind: "sensor", channel: "i1", fault: "open", duration_s: 30 },
      { at_s: 150, kind: "broker_outage", duration_s: 120 },
      { at_s: 400, kind: "clock_jump", step_s: 3600 },
      { at_s: 500, kind: "brownout", off_s: 10 },
      { at_s: 560, kind: "link", latency_s: 0.2, loss: 0.2, duration_s: 60 },
    ]), 700);
  }, 120_000);

  afterAll(async () => {
    await r?.collector.stop();
    await r?.broker.close();
  });

  it("records each fault as it begins and ends", () => {
    expect(r.result.faults.map((f) => [f.event.kind, f.phase, f.time_s - START_s])).toEqual([
      ["sensor", "begin", 60],
      ["sensor", "end", 90],
      ["broker_outage", "begin", 150],
      ["broker_outage", "end", 270],
      ["clock_jump", "begin", 400],
      ["brownout", "begin", 500],
      ["link", "begin", 560],
      ["link", "end", 620],
    ]);
  });

  it("an open INA226 flags its channels' samples open-circuit for the fault's length only", () => {
    const frames = r.collector.of("data");
    const flagged = (f: Data) => ((f.q?.[i1] ?? 0) & QUALITY_OPEN_CIRCUIT) !== 0;
    expect(within(frames, 62, 89).every(flagged)).toBe(true);
    expect(within(frames, 0, 59).some(flagged)).toBe(false);
    expect(within(frames, 92, 140).some(flagged)).toBe(false);
  });

  /** A boot's frames as delivered: QoS 1 is at least once and backfill comes late, so sorted and without repeats. */
  const framesOf = (boot: number) => {
    const bySeq = new Map<number, Data>();
    for (const f of r.collector.of("data")) if (f.b === boot) bySeq.set(f.s, f);
    return [...bySeq.values()].sort((a, b) => a.s - b.s);
  };
  const boots = () => [...new Set(r.collector.of("birth").map((b) => b.boot))];

  it("frames sampled during the broker outage are delivered after it, none missing", () => {
    const boot1 = framesOf(boots()[0]!);
    for (let k = 1; k < boot1.length; k++) expect(boot1[k]!.s - boot1[k - 1]!.s).toBe(1);
    // A frame or two still in RAM when the brown-out comes at 500 s is lost with it, as on a board.
    expect(boot1.length).toBeGreaterThanOrEqual(495);
    expect(within(boot1, 150, 270).length).toBe(120);
  });

  it("a brown-out reboots the board: a new boot, then data again", () => {
    expect(r.result.reboots).toEqual([1]);
    expect(boots().length).toBe(2);
    expect(framesOf(boots()[1]!).length).toBeGreaterThan(150);
  });

  it("a clock step shows in the sample times after it", () => {
    const after = framesOf(boots()[1]!);
    expect(after[0]!.t / 1e6 - START_s).toBeGreaterThan(3600 + 500);
    expect(after[0]!.t / 1e6 - START_s).toBeLessThan(3600 + 515);
  });

  it("a lossy, slow link still delivers every frame", () => {
    const boot2 = framesOf(boots()[1]!);
    for (let k = 1; k < boot2.length; k++) expect(boot2[k]!.s - boot2[k - 1]!.s).toBe(1);
    expect(r.result.errors).toEqual([[]]);
  });
});

describe("faults on the hard-carbon-stress rig", () => {
  let r: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    r = await run("hard-carbon-stress", parseFaultSchedule([{ at_s: 20, kind: "sum_loss", channel: "a2", fraction: 0.7, duration_s: 20 }]), 60);
  }, 120_000);

  afterAll(async () => {
    await r?.collector.stop();
    await r?.broker.close();
  });

  it("a bubble in the second beam flags that detector's signals low-sum, not the first's", () => {
    const frames = r.collector.of("data");
    const low = (f: Data, ch: number) => ((f.q?.[ch] ?? 0) & QUALITY_LOW_OPTICAL_SUM) !== 0;
    const during = within(frames, 21, 39);
    expect(during.length).toBeGreaterThanOrEqual(17);
    expect(during.every((f) => low(f, 2) && low(f, 3))).toBe(true);
    expect(during.some((f) => low(f, 0) || low(f, 1))).toBe(false);
    expect(within(frames, 0, 19).some((f) => low(f, 2))).toBe(false);
    expect(within(frames, 42, 60).some((f) => low(f, 2))).toBe(false);
  });
});

describe("fault schedules", () => {
  it("refuses a schedule that does not fit the rig, naming the fault", async () => {
    const broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    try {
      const attempt = (faults: FaultSchedule) => runSimulation({ preset: "graphite-nmc-gas", boards: 1, duration_s: 1, speed: "max", broker: { host: "127.0.0.1", port: broker.port }, faults });
      await expect(attempt([{ at_s: 5, kind: "sensor", channel: "nope", fault: "open" }])).rejects.toThrow(/fault 0 \(sensor at 5 s\): the rig has no channel "nope"/);
      await expect(attempt([{ at_s: 5, kind: "sum_loss", channel: "p1", fraction: 0.5 }])).rejects.toThrow(/sum_loss needs a detector channel/);
      await expect(attempt([{ at_s: 5, board: 3, kind: "brownout" }])).rejects.toThrow(/board 3 does not exist/);
    } finally {
      await broker.close();
    }
    expect(() => parseFaultSchedule([{ at_s: -1, kind: "brownout" }])).toThrow(/fault schedule is invalid/);
  }, 60_000);
});
