import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBoardProfile } from "../../boards/profile.ts";
import { validateRigConfig } from "../../boards/rig-config.ts";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import type { Messages } from "../../protocol/decode/message.ts";
import { QUALITY_LOW_OPTICAL_SUM } from "../../protocol/wire/data-frame.ts";
import { Ads1115Twin } from "../../sim/chips/ads1115.ts";
import { PsdTwin } from "../../sim/chips/photodiodes.ts";
import { START_s, startBoard, type BoardUnderTest } from "../../scripts/fixtures/board-rig.ts";

// The lost-optical-sum edge alarm through the bundle: a lateral PSD (10 mm, 100 kΩ amplifiers, a
// 20 µA spot: A + B = 2 V) on an ADS1115, whose beam walks off the detector from 20 s to 40 s of the
// run. Off the detector no electrode collects light, the sum falls below min_sum_V = 0.2 V, and the
// board raises `beam_lost`; when the spot is back the sum is 2 V again and the alarm clears.

const LENGTH_m = 0.01;
const OFF_FROM_s = 20;
const OFF_UNTIL_s = 40;
const RUN_s = 60;

function rig(port: number) {
  const electrode = (id: string, letter: "A" | "B", input: string) => ({
    id,
    quantity: "beam_signal_v",
    unit: "V",
    sensor: "psd",
    bus: "I2C1",
    address: 0x49,
    input,
    range_V: 4.096,
    group: "beam1",
    transimpedance_ohm: 100e3,
    min_sum_V: 0.2,
    electrode: letter,
    active_length_m: LENGTH_m,
    rate_hz: 10,
    calibration: { kind: "linear", gain: 0.000125, offset: 0 },
  });
  return validateRigConfig(
    {
      rig: "optics",
      board: "linux",
      broker: { host: "127.0.0.1", port, keepalive_s: 30 },
      frame_s: 1,
      channels: [electrode("psd_a", "A", "AIN0"), electrode("psd_b", "B", "AIN1")],
      alarms: [{ name: "beam_lost", channel: "psd_a", kind: "lost_sum", threshold: 0 }],
    },
    loadBoardProfile("linux"),
  );
}

describe("lost optical sum on the board", () => {
  let broker: EmbeddedBroker;
  let b: BoardUnderTest;
  const psd = new PsdTwin(LENGTH_m, { transimpedance_ohm: 100e3, rail_V: 4.9 }, () => 20e-6);
  // 1 mm from the centre, then 8 mm: 3 mm past the end of the active area
  psd.setPosition((t) => (t >= START_s + OFF_FROM_s && t < START_s + OFF_UNTIL_s ? 8e-3 : 1e-3));

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    b = await startBoard(rig(broker.port), broker.url, {
      wire: (board) => {
        const adc = new Ads1115Twin(0x49);
        psd.connect(adc, [0, 1]);
        board.i2c("I2C1").attach(adc);
      },
    });
    await b.run(RUN_s);
    await b.runUntil(() => false, 2);
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await broker?.close();
  });

  it("the twin's sum collapses while the spot is off the detector and returns with it", () => {
    expect(psd.voltage_V(0, START_s + 1) + psd.voltage_V(1, START_s + 1)).toBeCloseTo(2, 9);
    expect(psd.voltage_V(0, START_s + OFF_FROM_s + 1) + psd.voltage_V(1, START_s + OFF_FROM_s + 1)).toBe(0);
  });

  it("raises beam_lost once when the sum collapses and clears it once when it returns", () => {
    expect(b.board.errors).toEqual([]);
    expect(b.invalid).toEqual([]);
    const alarms = b.of("alarm").filter((a) => a.rule === "beam_lost");
    expect(alarms.map((a) => [a.state, a.value])).toEqual([
      ["raised", 1],
      ["cleared", 0],
    ]);
    const t_s = alarms.map((a) => a.t / 1e6 - START_s);
    // evaluated on finished 1 s frames: at most one frame (and one sample period) after the edge
    expect(t_s[0]).toBeGreaterThanOrEqual(OFF_FROM_s);
    expect(t_s[0]).toBeLessThanOrEqual(OFF_FROM_s + 1.1);
    expect(t_s[1]).toBeGreaterThanOrEqual(OFF_UNTIL_s);
    expect(t_s[1]).toBeLessThanOrEqual(OFF_UNTIL_s + 1.1);
  });

  it("the frames flag low optical sum exactly while the spot is off", () => {
    const frames: Messages["data"][] = b.data();
    expect(frames.length).toBeGreaterThanOrEqual(RUN_s - 2);
    for (const f of frames) {
      const t_s = f.t / 1e6 - START_s;
      const flagged = ((f.q?.[0] ?? 0) & QUALITY_LOW_OPTICAL_SUM) !== 0;
      if (t_s + 1 <= OFF_FROM_s || t_s >= OFF_UNTIL_s) expect(flagged).toBe(false);
      else if (t_s >= OFF_FROM_s && t_s + 1 <= OFF_UNTIL_s) expect(flagged).toBe(true);
    }
  });
});
