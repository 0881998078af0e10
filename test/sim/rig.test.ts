// The simulated rig wires a twin for every configured sensor kind, and the firmware bundle samples
// them all without an error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBoardProfile } from "../../boards/profile.ts";
import { validateRigConfig } from "../../boards/rig-config.ts";
import { buildFirmware } from "../../scripts/build/bundle.ts";
import { Abp2Twin } from "../../sim/chips/abp2.ts";
import { Ads1115Twin } from "../../sim/chips/ads1115.ts";
import { Ina226Twin } from "../../sim/chips/ina226.ts";
import { Max31865Twin } from "../../sim/chips/max31865.ts";
import { NtcDivider } from "../../sim/chips/ntc-divider.ts";
import { PsdTwin } from "../../sim/chips/photodiodes.ts";
import { RatiometricPin } from "../../sim/chips/ratiometric-pin.ts";
import { VirtualClock } from "../../sim/runtime/clock.ts";
import { startSimRig, type SimRig } from "../../sim/rig.ts";

const LINEAR = { kind: "linear", gain: 1, offset: 0 };
const PT100 = { kind: "rtd_cvd", ref_ohm: 400, r0_ohm: 100, A: 3.9083e-3, B: -5.775e-7, C: -4.183e-12, code_full_scale: 32768 };
const BETA = { kind: "ntc_beta", code_full_scale: 65535, series_ohm: 10000, ntc_position: "low", r0_ohm: 10000, t0_degC: 25, beta_K: 3950 };
const PSD = { sensor: "psd", bus: "I2C1", address: 0x49, range_V: 4.096, group: "beam1", transimpedance_ohm: 1e5, min_sum_V: 0.2, active_length_m: 0.01 };

function ch(id: string, fields: { [key: string]: unknown }) {
  return { id, quantity: "q", unit: "1", rate_hz: 10, calibration: LINEAR, ...fields };
}

const CONFIG = {
  rig: "kinds",
  board: "esp32",
  broker: { host: "127.0.0.1", port: 1883 },
  wifi: { ssid: "lab" },
  frame_s: 1,
  channels: [
    ch("p1", { sensor: "ads1115", bus: "I2C1", address: 0x48, input: "AIN0", range_V: 4.096, quantity: "cell_pressure_pa" }),
    ch("i1", { sensor: "ina226", bus: "I2C1", address: 0x40, measure: "current", shunt_ohm: 0.002, current_lsb_A: 0.001, averages: 4, conversion_us: 1100 }),
    ch("t1", { sensor: "max31865", bus: "SPI1", cs: "D5", wires: 4, mains_hz: 50, calibration: PT100 }),
    ch("t2", { sensor: "ntc", pin: "D34", calibration: BETA }),
    ch("p3", { sensor: "ratiometric", pin: "D35", supply_V: 5, divider: 0.66, adc_full_scale_V: 3.3 }),
    ch("p4", { sensor: "abp2", bus: "I2C1", address: 0x28, calibration: { kind: "linear", gain: 160e3 / 13421772, offset: -20000 } }),
    ch("a", { ...PSD, input: "AIN0", electrode: "A" }),
    ch("b", { ...PSD, input: "AIN1", electrode: "B" }),
  ],
};

describe("simulated rig with every sensor kind", () => {
  let rig: SimRig;

  beforeAll(async () => {
    const esp32 = loadBoardProfile("esp32");
    const config = validateRigConfig(CONFIG, esp32);
    const bundle = await buildFirmware({ board: esp32, config, ignoreStorage: true });
    const clock = new VirtualClock(1_800_000_000);
    rig = startSimRig({ code: bundle.code, board: esp32, config, boards: 1, clock });
    clock.advanceBy(3);
  });

  afterAll(() => rig?.close());

  it("gives each channel its twin", () => {
    expect(rig.sensor(0, "p1")).toBeInstanceOf(Ads1115Twin);
    expect(rig.sensor(0, "i1")).toBeInstanceOf(Ina226Twin);
    expect(rig.sensor(0, "t1")).toBeInstanceOf(Max31865Twin);
    expect(rig.sensor(0, "t2")).toBeInstanceOf(NtcDivider);
    expect(rig.sensor(0, "p3")).toBeInstanceOf(RatiometricPin);
    expect(rig.sensor(0, "p4")).toBeInstanceOf(Abp2Twin);
    expect(rig.sensor(0, "a")).toBeInstanceOf(PsdTwin);
    expect(rig.sensor(0, "a")).toBe(rig.sensor(0, "b"));
    expect(rig.twin(0, "a")).toBeInstanceOf(Ads1115Twin);
    expect(() => rig.sensor(0, "nope")).toThrow(/board 0 has no simulated sensor for channel "nope"/);
  });

  it("the board starts every driver and samples without an error", () => {
    expect(rig.boards[0]!.errors).toEqual([]);
    expect(rig.boards[0]!.output.join("\n")).toContain("sampling 8 channel(s)");
  });

  it("the twins present plausible physical inputs: cell pressure, cell temperature, 1 V photodiode signals", () => {
    const t = 1_800_000_002;
    const psd = rig.sensor(0, "a") as PsdTwin;
    expect(psd.voltage_V(0, t) + psd.voltage_V(1, t)).toBeCloseTo(2, 9);
    const ntc = rig.sensor(0, "t2") as NtcDivider;
    expect(ntc.analog(t)).toBeGreaterThan(0.45);
    expect(ntc.analog(t)).toBeLessThan(0.55);
  });
});
