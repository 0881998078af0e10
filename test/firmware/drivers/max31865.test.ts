// The MAX31865 driver in the firmware bundle against its twin on virtual SPI: ratio codes turned into
// °C by the host's Callendar–Van Dusen calibration at 0, 100 and −50 °C (IEC 60751), PT100 and PT1000.
import { afterEach, describe, expect, it } from "vitest";
import { physicalValue, rtdResistance_ohm } from "../../../protocol/decode/physical.ts";
import type { RtdCvdCalibration } from "../../../protocol/schema/calibration.ts";
import { QUALITY_OPEN_CIRCUIT, QUALITY_SATURATED } from "../../../protocol/wire/data-frame.ts";
import { Max31865Twin } from "../../../sim/chips/max31865.ts";
import { channel, driverBench, type DriverBench } from "./sources.ts";

const IEC = { A: 3.9083e-3, B: -5.775e-7, C: -4.183e-12 };
const CS = "D32";

function cvd(r0_ohm: number, ref_ohm: number): RtdCvdCalibration {
  return { kind: "rtd_cvd", ref_ohm, r0_ohm, ...IEC, code_full_scale: 32768 };
}

function rtd(cal: RtdCvdCalibration, extra: { [key: string]: unknown } = {}) {
  return channel({ id: "t1", sensor: "max31865", bus: "SPI1", cs: CS, wires: 4, mains_hz: 50, calibration: cal, ...extra });
}

describe("MAX31865 driver against its twin", () => {
  let bench: DriverBench | undefined;
  let twin: Max31865Twin;

  async function setUp(cal: RtdCvdCalibration): Promise<DriverBench> {
    twin = new Max31865Twin(CS, { ref_ohm: cal.ref_ohm, r0_ohm: cal.r0_ohm });
    bench = await driverBench("esp32", (b) => b.board.spi("SPI1").attach(twin));
    return bench;
  }

  afterEach(() => bench?.close());

  for (const [name, cal] of [["PT100 with 400 Ω", cvd(100, 400)], ["PT1000 with 4 kΩ", cvd(1000, 4000)]] as const) {
    it(`${name}: 0, 100 and −50 °C within the 15-bit code's quantisation`, async () => {
      const b = await setUp(cal);
      expect(b.start([rtd(cal)])).toBe("");
      // One code is R_REF / 2^15 of resistance: about 0.031 °C near 0 °C.
      const halfCode_degC = cal.ref_ohm / 32768 / (cal.r0_ohm * IEC.A) / 2;
      for (const t of [0, 100, -50]) {
        twin.setTemperature(() => t);
        b.advance(0.05);
        const { code, quality } = b.read(0);
        expect(quality).toBe(0);
        expect(code).toBe(Math.round((rtdResistance_ohm(t, cal) / cal.ref_ohm) * 32768));
        expect(Math.abs(physicalValue(code, cal) - t)).toBeLessThanOrEqual(halfCode_degC * 1.05);
      }
    });
  }

  it("reads R0 as exactly a quarter of full scale with a 4·R0 reference", async () => {
    const cal = cvd(100, 400);
    const b = await setUp(cal);
    expect(b.start([rtd(cal, { wires: 3, mains_hz: 60 })])).toBe("");
    twin.setTemperature(() => 0);
    b.advance(0.05);
    expect(b.read(0)).toEqual({ code: 8192, quality: 0 });
  });

  it("flags an open RTD as open circuit and a short or over-voltage as saturated, clearing the fault", async () => {
    const cal = cvd(100, 400);
    const b = await setUp(cal);
    expect(b.start([rtd(cal)])).toBe("");
    b.advance(0.05);
    twin.setFault("open");
    b.advance(0.05);
    expect(b.read(0)).toEqual({ code: 0x7fff, quality: QUALITY_OPEN_CIRCUIT });
    twin.setFault("short");
    b.advance(0.05);
    expect(b.read(0)).toEqual({ code: 0, quality: QUALITY_SATURATED });
    twin.setFault("saturated");
    b.advance(0.05);
    expect(b.read(0).quality).toBe(QUALITY_SATURATED);
    twin.setFault("none");
    b.advance(0.05);
    expect(b.read(0).quality).toBe(0);
  });

  it("keeps returning the frozen code of a stuck converter", async () => {
    const cal = cvd(100, 400);
    const b = await setUp(cal);
    expect(b.start([rtd(cal)])).toBe("");
    twin.setTemperature(() => 25);
    b.advance(0.05);
    const before = b.read(0).code;
    twin.setFault("stuck", b.bundle.clock.now_s());
    twin.setTemperature(() => 80);
    b.advance(0.05);
    expect(b.read(0).code).toBe(before);
  });

  it("names the channel, bus and chip select when no chip answers", async () => {
    bench = await driverBench("esp32", () => {});
    expect(bench.start([rtd(cvd(100, 400))])).toBe(
      'channel "t1": MAX31865 on SPI1 with chip select D32 did not answer: config register read back 0xff, wrote 0xc1 (check wiring, the chip select pin and SPI mode 1 or 3)',
    );
  });

  it("refuses a rate faster than the converter", async () => {
    const cal = cvd(100, 400);
    const b = await setUp(cal);
    expect(b.start([rtd(cal, { rate_hz: 100 })])).toMatch(/a conversion takes 20 ms with the 50 Hz filter, longer than the sample period of 10 ms/);
  });
});
