// Position-sensitive detectors through the firmware: PSD electrodes and quadrant segments as ADS1115
// channels of one detector group, positions and sums formed on the host from the raw signals.
import { afterEach, describe, expect, it } from "vitest";
import { lsb_V } from "../../../boards/chips/ads1115.ts";
import { psdPosition_m, quadrantPosition_m } from "../../../host/analysis/optics.ts";
import { QUALITY_LOW_OPTICAL_SUM, QUALITY_SATURATED } from "../../../protocol/wire/data-frame.ts";
import { Ads1115Twin } from "../../../sim/chips/ads1115.ts";
import { PsdTwin, QuadrantTwin } from "../../../sim/chips/photodiodes.ts";
import { channel, driverBench, type DriverBench } from "./sources.ts";

const RANGE_V = 4.096;
const TIA_OHM = 100e3;
const LENGTH_m = 0.01;
const FRONT_END = { transimpedance_ohm: TIA_OHM, rail_V: 4.9 };
const volts = (code: number) => code * lsb_V(RANGE_V);

function signal(id: string, sensor: "psd" | "quadrant", letter: string, input: string) {
  return channel({
    id,
    sensor,
    bus: "I2C1",
    address: 0x49,
    input,
    range_V: RANGE_V,
    group: "beam1",
    transimpedance_ohm: TIA_OHM,
    min_sum_V: 0.2,
    rate_hz: 40,
    ...(sensor === "psd" ? { electrode: letter, active_length_m: LENGTH_m } : { segment: letter }),
  });
}

describe("photodiode detectors against their twins", () => {
  let bench: DriverBench | undefined;
  let adc: Ads1115Twin;

  afterEach(() => bench?.close());

  async function setUp(): Promise<DriverBench> {
    adc = new Ads1115Twin(0x49);
    bench = await driverBench("linux", (b) => b.board.i2c("I2C1").attach(adc));
    return bench;
  }

  it("PSD: position and optical sum from electrodes A and B", async () => {
    const b = await setUp();
    const psd = new PsdTwin(LENGTH_m, FRONT_END, () => 20e-6);
    psd.connect(adc, [0, 1]);
    expect(b.start([signal("a", "psd", "A", "AIN0"), signal("b", "psd", "B", "AIN1")])).toBe("");
    for (const x_m of [0, 2e-3, -4.5e-3]) {
      psd.setPosition(() => x_m);
      b.advance(0.025);
      const [a, bb] = [b.read(0), b.read(1)];
      expect(a.quality | bb.quality).toBe(0);
      // Sum 20 µA × 100 kΩ = 2 V; position within a few LSB of 10 mm / 2 V.
      expect(volts(a.code) + volts(bb.code)).toBeCloseTo(2, 3);
      expect(psdPosition_m(volts(a.code), volts(bb.code), LENGTH_m)).toBeCloseTo(x_m, 5);
    }
  });

  it("PSD: a bubble flags low optical sum on both electrodes, an overdriven amplifier saturation", async () => {
    const b = await setUp();
    const psd = new PsdTwin(LENGTH_m, FRONT_END, () => 20e-6);
    psd.connect(adc, [0, 1]);
    expect(b.start([signal("a", "psd", "A", "AIN0"), signal("b", "psd", "B", "AIN1")])).toBe("");
    psd.setSumLoss(0.95);
    b.advance(0.025);
    b.read(0);
    b.read(1);
    expect(b.read(0).quality).toBe(QUALITY_LOW_OPTICAL_SUM);
    expect(b.read(1).quality).toBe(QUALITY_LOW_OPTICAL_SUM);
    psd.setSumLoss(0);
    psd.setFault("saturated");
    b.advance(0.025);
    expect(b.read(0)).toEqual({ code: 32767, quality: QUALITY_SATURATED });
  });

  it("quadrant: x and y from four segments, with signs per segment layout", async () => {
    const b = await setUp();
    const quad = new QuadrantTwin(0.5e-3, FRONT_END, () => 40e-6);
    quad.connect(adc, [0, 1, 2, 3]);
    const chans = ["A", "B", "C", "D"].map((s, i) => signal(`q${s}`, "quadrant", s, `AIN${i}`));
    expect(b.start(chans)).toBe("");
    for (const [x, y] of [[0, 0], [40e-6, -25e-6], [-60e-6, 30e-6]] as const) {
      quad.setPosition(() => x, () => y);
      b.advance(0.025);
      const v = [0, 1, 2, 3].map((i) => b.read(i)).map((r) => volts(r.code));
      const p = quadrantPosition_m(v[0]!, v[1]!, v[2]!, v[3]!, quad.positionScale_m());
      // The erf response bends by under 1 % this close to the centre; quantisation adds about 0.1 µm.
      expect(Math.abs(p.x_m - x)).toBeLessThan(0.01 * Math.abs(x) + 0.2e-6);
      expect(Math.abs(p.y_m - y)).toBeLessThan(0.01 * Math.abs(y) + 0.2e-6);
      expect(v.reduce((s, e) => s + e, 0)).toBeCloseTo(4, 2);
    }
  });
});
