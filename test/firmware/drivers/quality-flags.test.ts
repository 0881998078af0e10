// The sampler ORs each source's quality flags into its block: a bubble in the beam, a saturated
// shunt and a silent chip show up in the frames the board sends, and only for their channels.
import { afterEach, describe, expect, it } from "vitest";
import { QUALITY_LOW_OPTICAL_SUM, QUALITY_OPEN_CIRCUIT, QUALITY_SATURATED } from "../../../protocol/wire/data-frame.ts";
import { Abp2Twin } from "../../../sim/chips/abp2.ts";
import { Ads1115Twin } from "../../../sim/chips/ads1115.ts";
import { Ina226Twin } from "../../../sim/chips/ina226.ts";
import { PsdTwin } from "../../../sim/chips/photodiodes.ts";
import { bootTestBundle, type TestBundle } from "../../../scripts/fixtures/board-entry.ts";
import { channel } from "./sources.ts";

const PSD = { sensor: "psd", bus: "I2C1", address: 0x49, range_V: 4.096, group: "beam1", transimpedance_ohm: 1e5, min_sum_V: 0.2, active_length_m: 0.01, rate_hz: 10 };
const CHANNELS = [
  channel({ id: "a", ...PSD, input: "AIN0", electrode: "A" }),
  channel({ id: "b", ...PSD, input: "AIN1", electrode: "B" }),
  channel({ id: "i", sensor: "ina226", bus: "I2C1", address: 0x40, measure: "current", shunt_ohm: 0.002, current_lsb_A: 0.001, averages: 1, conversion_us: 1100 }),
  channel({ id: "p", sensor: "abp2", bus: "I2C1", address: 0x28 }),
];

describe("quality flags in frames", () => {
  let bundle: TestBundle | undefined;
  afterEach(() => bundle?.close());

  it("marks only the affected channels, and only while the fault lasts", async () => {
    const adc = new Ads1115Twin(0x49);
    const psd = new PsdTwin(0.01, { transimpedance_ohm: 1e5, rail_V: 4.9 }, () => 20e-6);
    psd.connect(adc, [0, 1]);
    const ina = new Ina226Twin(0x40, { shunt_ohm: 0.002 });
    const abp2 = new Abp2Twin(0x28, { min_Pa: 0, max_Pa: 160e3 });
    bundle = await bootTestBundle("test/firmware/drivers/fixtures/sampler-entry.ts", { board: "linux" });
    for (const twin of [adc, ina, abp2]) bundle.board.i2c("I2C1").attach(twin);
    bundle.call("start", CHANNELS, 1);
    bundle.clock.advanceBy(2.05);
    const clean = bundle.call("frames") as number[][];
    expect(clean.length).toBe(2);
    // The first frame's first PSD samples predate the first scan; from then on every block is clean.
    expect(Array.from(clean[1]!)).toEqual([0, 0, 0, 0]);

    psd.setSumLoss(0.95);
    ina.setFault("saturated");
    abp2.setFault("open");
    bundle.clock.advanceBy(1);
    const faulty = bundle.call("frames") as number[][];
    expect(Array.from(faulty[0]!)).toEqual([QUALITY_LOW_OPTICAL_SUM, QUALITY_LOW_OPTICAL_SUM, QUALITY_SATURATED, QUALITY_OPEN_CIRCUIT]);

    psd.setSumLoss(0);
    ina.setFault("none");
    abp2.setFault("none");
    bundle.clock.advanceBy(2);
    const recovered = bundle.call("frames") as number[][];
    expect(Array.from(recovered[1]!)).toEqual([0, 0, 0, 0]);
  });
});
