// Analog-pin sensors through the firmware: an NTC divider (β and Steinhart–Hart, converted on the
// host) and a ratiometric pressure transducer through a divider, on the board's own 12-bit ADC.
import { afterEach, describe, expect, it } from "vitest";
import { physicalValue } from "../../../protocol/decode/physical.ts";
import type { Calibration, NtcBetaCalibration, NtcSteinhartHartCalibration } from "../../../protocol/schema/calibration.ts";
import { QUALITY_OPEN_CIRCUIT, QUALITY_SATURATED } from "../../../protocol/wire/data-frame.ts";
import { NtcDivider } from "../../../sim/chips/ntc-divider.ts";
import { RatiometricPin } from "../../../sim/chips/ratiometric-pin.ts";
import { channel, driverBench, type DriverBench } from "./sources.ts";

const BETA: NtcBetaCalibration = { kind: "ntc_beta", code_full_scale: 65535, series_ohm: 10000, ntc_position: "low", r0_ohm: 10000, t0_degC: 25, beta_K: 3950 };
const T0_K = 298.15;
const SH: NtcSteinhartHartCalibration = { kind: "ntc_steinhart_hart", code_full_scale: 65535, series_ohm: 4700, ntc_position: "high", A: 1 / T0_K - Math.log(10000) / 3950, B: 1 / 3950, C: 0 };

describe("NTC thermistor on an analog pin", () => {
  let bench: DriverBench | undefined;
  afterEach(() => bench?.close());

  const cases = [
    [BETA, { r0_ohm: BETA.r0_ohm, t0_degC: BETA.t0_degC, beta_K: BETA.beta_K }],
    [SH, { A: SH.A, B: SH.B, C: SH.C }],
  ] as const;
  for (const [cal, model] of cases) {
    it(`${cal.kind}: R25 reads 25 °C, and 0 and 60 °C within the ADC's step`, async () => {
      const ntc = new NtcDivider({ series_ohm: cal.series_ohm, ntc_position: cal.ntc_position, model });
      bench = await driverBench("esp32", (b) => b.board.setAnalog("D34", (t) => ntc.analog(t)));
      expect(bench.start([channel({ id: "t1", sensor: "ntc", pin: "D34", calibration: cal })])).toBe("");
      for (const t of [25, 0, 60]) {
        ntc.setTemperature(() => t);
        const { code, quality } = bench.read(0);
        expect(quality).toBe(0);
        expect(physicalValue(code, cal)).toBeCloseTo(t, 1);
      }
    });
  }

  it("flags an open thermistor as open circuit and a shorted one as saturated, per divider side", async () => {
    const ntc = new NtcDivider({ series_ohm: 10000, ntc_position: "low", model: { r0_ohm: 10000, t0_degC: 25, beta_K: 3950 } });
    bench = await driverBench("esp32", (b) => b.board.setAnalog("D34", (t) => ntc.analog(t)));
    expect(bench.start([channel({ id: "t1", sensor: "ntc", pin: "D34", calibration: BETA })])).toBe("");
    ntc.setFault("open");
    expect(bench.read(0)).toEqual({ code: 65535, quality: QUALITY_OPEN_CIRCUIT });
    ntc.setFault("short");
    expect(bench.read(0)).toEqual({ code: 0, quality: QUALITY_SATURATED });
    ntc.setFault("none");
    expect(bench.read(0).quality).toBe(0);
  });

  it("names a pin the board does not have", async () => {
    bench = await driverBench("esp32", () => {});
    expect(bench.start([channel({ id: "t1", sensor: "ntc", pin: "D99", calibration: BETA })])).toBe("pin D99 does not exist on this board");
  });
});

describe("ratiometric pressure transducer on an analog pin", () => {
  let bench: DriverBench | undefined;
  afterEach(() => bench?.close());

  // 0-10 bar on a 5 V supply, 0.66 divider into a 3.3 V ADC: the pin sees 10 % to 90 % of full scale.
  const CH = channel({ id: "p1", sensor: "ratiometric", pin: "D35", supply_V: 5, divider: 0.66, adc_full_scale_V: 3.3, calibration: { kind: "linear", gain: 1e6 / (0.8 * 65535), offset: -0.125e6 } });

  it("reads 0, 5 and 10 bar within one ADC step (about 305 Pa)", async () => {
    const pin = new RatiometricPin({ divider: 0.66, adcFullScale_V: 3.3 });
    bench = await driverBench("esp32", (b) => b.board.setAnalog("D35", (t) => pin.analog(t)));
    expect(bench.start([CH])).toBe("");
    for (const p of [0, 5e5, 1e6]) {
      pin.setPressure(() => p);
      const { code, quality } = bench.read(0);
      expect(quality).toBe(0);
      expect(Math.abs(physicalValue(code, CH.calibration as Calibration) - p)).toBeLessThan(1e6 / 0.8 / 4095);
    }
  });

  it("flags a broken signal wire as open circuit and an output at the supply as saturated", async () => {
    const pin = new RatiometricPin({ divider: 0.66, adcFullScale_V: 3.3 });
    bench = await driverBench("esp32", (b) => b.board.setAnalog("D35", (t) => pin.analog(t)));
    expect(bench.start([CH])).toBe("");
    pin.setFault("open");
    expect(bench.read(0).quality).toBe(QUALITY_OPEN_CIRCUIT);
    pin.setFault("short");
    expect(bench.read(0).quality).toBe(QUALITY_SATURATED);
  });
});
