import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import type { Messages } from "../../protocol/decode/message.ts";
import { startBoard, syntheticRig, type BoardUnderTest } from "../../scripts/fixtures/board-rig.ts";

// Edge alarms through the bundle: synthetic signals cross each rule's threshold on a known schedule,
// and every rule is published once when raised and once when cleared, alternately.
// s1 = 2.0 + 0.1·sin(2πt/60) V; s2 steps between 1.88 V and 2.12 V every 33.5 s.

const RUN_s = 150;

type Alarm = Messages["alarm"];

function rig(port: number) {
  const config = syntheticRig(port, 2, {
    alarms: [
      { name: "s1_high", channel: "s1", kind: "high", threshold: 2.05, hysteresis: 0.02, hold_s: 2 },
      { name: "s1_low", channel: "s1", kind: "low", threshold: 1.95, hysteresis: 0.02 },
      { name: "s1_rise", channel: "s1", kind: "rise", threshold: 0.009 },
      { name: "s2_stale", channel: "s2", kind: "stale", threshold: 5 },
    ],
  });
  const s2 = config.channels[1] as { shape: string };
  s2.shape = "step";
  return config;
}

describe("edge alarms on the board", () => {
  let broker: EmbeddedBroker;
  let b: BoardUnderTest;
  const of = (rule: string): Alarm[] => b.of("alarm").filter((a) => a.rule === rule);

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    b = await startBoard(rig(broker.port), broker.url);
    await b.run(RUN_s);
    await b.runUntil(() => false, 2);
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await broker?.close();
  });

  it("runs without errors and every alarm decodes on the host", () => {
    expect(b.board.errors).toEqual([]);
    expect(b.invalid).toEqual([]);
  });

  it("numbers the boot's alarm messages 0, 1, 2, … with no repeat", () => {
    const ns = b.of("alarm").map((a) => a.n);
    expect(ns).toEqual(ns.map((_, i) => i));
  });

  it.each(["s1_high", "s1_low", "s1_rise", "s2_stale"])("%s is raised and cleared in turn, each edge published once", (rule) => {
    const alarms = of(rule);
    expect(alarms.length).toBeGreaterThanOrEqual(4);
    alarms.forEach((a, i) => expect(a.state).toBe(i % 2 === 0 ? "raised" : "cleared"));
    for (let i = 1; i < alarms.length; i++) expect(alarms[i]!.t).toBeGreaterThan(alarms[i - 1]!.t);
  });

  it("high: raised above the threshold after holding 2 s, cleared only 0.02 V back inside it, once per period", () => {
    const alarms = of("s1_high");
    for (const a of alarms) {
      if (a.state === "raised") expect(a.value).toBeGreaterThan(2.05);
      else expect(a.value).toBeLessThanOrEqual(2.03 + 1e-9);
      expect(a.threshold).toBe(2.05);
    }
    const raised = alarms.filter((a) => a.state === "raised");
    for (let i = 1; i < raised.length; i++) expect((raised[i]!.t - raised[i - 1]!.t) / 1e6).toBeCloseTo(60, 0);
  });

  it("low: raised below the threshold, cleared 0.02 V back above it", () => {
    for (const a of of("s1_low")) {
      if (a.state === "raised") expect(a.value).toBeLessThan(1.95);
      else expect(a.value).toBeGreaterThanOrEqual(1.97 - 1e-9);
    }
  });

  it("rise: raised when the value climbs faster than 0.009 V/s, the value being the rate", () => {
    for (const a of of("s1_rise")) {
      if (a.state === "raised") expect(a.value).toBeGreaterThan(0.009);
      else expect(a.value).toBeLessThanOrEqual(0.009);
      // the fastest the sine climbs, 2π · 0.1 V / 60 s, plus one raw code (0.0001 V) per 0.1 s sample
      expect(a.value).toBeLessThan((2 * Math.PI * 0.1) / 60 + 0.0001 / 0.1 + 1e-9);
    }
  });

  it("stale: raised after 5 s without a change of the raw code, cleared by the next step", () => {
    for (const a of of("s2_stale")) {
      if (a.state === "raised") expect(a.value).toBeCloseTo(5, 1);
      else expect(a.value).toBe(0);
    }
  });
});
