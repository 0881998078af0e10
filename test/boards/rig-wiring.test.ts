import { describe, expect, it } from "vitest";
import { loadBoardProfile } from "../../boards/profile.ts";
import { validateRigConfig } from "../../boards/rig-config.ts";

const esp32 = loadBoardProfile("esp32");
const LINEAR = { kind: "linear", gain: 1, offset: 0 };
const PT100 = { kind: "rtd_cvd", ref_ohm: 400, r0_ohm: 100, A: 3.9083e-3, B: -5.775e-7, C: -4.183e-12, code_full_scale: 32768 };
const BETA = { kind: "ntc_beta", code_full_scale: 65535, series_ohm: 10000, ntc_position: "low", r0_ohm: 10000, t0_degC: 25, beta_K: 3950 };

function ch(id: string, fields: { [key: string]: unknown }) {
  return { id, quantity: "q", unit: "1", rate_hz: 10, calibration: LINEAR, ...fields };
}

const ADS = { sensor: "ads1115", bus: "I2C1", address: 0x48, range_V: 4.096 };
const INA = { sensor: "ina226", bus: "I2C1", address: 0x40, shunt_ohm: 0.002, current_lsb_A: 0.001, averages: 4, conversion_us: 1100 };
const PSD = { sensor: "psd", bus: "I2C1", address: 0x49, range_V: 4.096, group: "beam1", transimpedance_ohm: 1e5, min_sum_V: 0.2, active_length_m: 0.01, rate_hz: 40 };

/** One channel of every kind, wired so that nothing collides. */
function everyKind() {
  return [
    ch("p1", { ...ADS, input: "AIN0" }),
    ch("p2", { ...ADS, input: "AIN1" }),
    ch("i1", { ...INA, measure: "current" }),
    ch("v1", { ...INA, measure: "bus_voltage" }),
    ch("t1", { sensor: "max31865", bus: "SPI1", cs: "D5", wires: 4, mains_hz: 50, calibration: PT100 }),
    ch("t2", { sensor: "ntc", pin: "D34", calibration: BETA }),
    ch("p3", { sensor: "ratiometric", pin: "D35", supply_V: 5, divider: 0.66, adc_full_scale_V: 3.3 }),
    ch("p4", { sensor: "abp2", bus: "I2C1", address: 0x28 }),
    ch("a", { ...PSD, input: "AIN0", electrode: "A" }),
    ch("b", { ...PSD, input: "AIN1", electrode: "B" }),
    ch("s1", { sensor: "synthetic", shape: "sine", amplitude: 100, period_s: 10, offset: 0 }),
  ];
}

function rig(channels: unknown[]) {
  return { rig: "r", board: "esp32", broker: { host: "h", port: 1883 }, frame_s: 1, channels };
}

function problems(channels: unknown[]): string {
  try {
    validateRigConfig(rig(channels), esp32, "rig.json");
    return "";
  } catch (err) {
    return (err as Error).message;
  }
}

describe("sensor wiring against the board", () => {
  it("accepts one channel of every kind on an ESP32", () => {
    expect(problems(everyKind())).toBe("");
  });

  it("refuses missing buses, pins that are not analog, and chip selects on bus pins or used twice", () => {
    const m = problems([
      ch("t1", { sensor: "max31865", bus: "SPI2", cs: "D18", wires: 3, mains_hz: 60, calibration: PT100 }),
      ch("t2", { sensor: "max31865", bus: "SPI1", cs: "D18", wires: 3, mains_hz: 60, calibration: PT100 }),
      ch("n1", { sensor: "ntc", pin: "D5", calibration: BETA }),
      ch("n2", { sensor: "ntc", pin: "D34", calibration: BETA }),
      ch("n3", { sensor: "ntc", pin: "D34", calibration: BETA }),
    ]);
    expect(m).toContain('/channels/0 ("t1"): esp32 has no SPI2 (it has SPI1)');
    expect(m).toContain('/channels/0 ("t1"): chip select D18 is a bus pin of esp32: choose a free pin');
    expect(m).toContain('/channels/1 ("t2"): chip select D18 is already used by channel "t1"');
    expect(m).toContain('/channels/2 ("n1"): D5 is not an analog pin of esp32 (it has D32, D33, D34, D35, D36, D39)');
    expect(m).toContain('/channels/4 ("n3"): analog pin D34 is already used by channel "n2"');
  });

  it("lets channels share an ADS1115 or an INA226, but not an input, a measure or an address across chips", () => {
    const m = problems([
      ch("a", { ...ADS, input: "AIN0" }),
      ch("b", { ...ADS, input: "AIN0" }),
      ch("c", { ...ADS, input: "AIN2", rate_hz: 20 }),
      ch("i1", { ...INA, measure: "current" }),
      ch("i2", { ...INA, measure: "current", shunt_ohm: 0.01 }),
      ch("x", { sensor: "abp2", bus: "I2C1", address: 0x48 }),
    ]);
    expect(m).toContain('/channels/1 ("b"): address 0x48 on I2C1 is already used by channel "a" for the same input AIN0');
    expect(m).toContain('/channels/2 ("c"): channels on one ADS1115 are scanned together and need one rate: 20 Hz here, 10 Hz on channel "a"');
    expect(m).toContain('/channels/4 ("i2"): address 0x40 on I2C1 is already used by channel "i1" for the same measure current');
    expect(m).toContain('/channels/4 ("i2"): shunt_ohm 0.01 differs from 0.002 on channel "i1", which shares this INA226');
    expect(m).toContain('/channels/5 ("x"): address 0x48 on I2C1 is already used by channel "a" (an ADS1115): give one of them a different address');
  });

  it("needs complete, consistent detector groups", () => {
    const m = problems([ch("a", { ...PSD, input: "AIN0", electrode: "A" }), ch("a2", { ...PSD, input: "AIN1", electrode: "A", min_sum_V: 0.1 })]);
    expect(m).toContain('/channels/1 ("a2"): group "beam1" has electrode A twice');
    expect(m).toContain('/channels/1 ("a2"): min_sum_V 0.1 differs from 0.2 on channel "a" of the same detector group "beam1"');
    expect(m).toContain('/channels/0 ("a"): psd group "beam1" lacks B: the sum and position need every signal (A, B)');
  });

  it("takes a chip select only on a pin the board can drive", () => {
    const m = problems([
      ch("t1", { sensor: "max31865", bus: "SPI1", cs: "D36", wires: 4, mains_hz: 50, calibration: PT100 }),
      ch("t2", { sensor: "max31865", bus: "SPI1", cs: "D7", wires: 4, mains_hz: 50, calibration: PT100 }),
    ]);
    // ESP32 GPIO34-39 are inputs only and GPIO6-11 carry the SPI flash.
    expect(m).toMatch(/\/channels\/0 \("t1"\): chip select D36 is not a digital output of esp32 \(it has D0, D1, [^)]*D33\)/);
    expect(m).toContain('/channels/1 ("t2"): chip select D7 is not a digital output of esp32');
  });

  it("needs the calibration kind the sensor's codes call for", () => {
    const m = problems([
      ch("t1", { sensor: "max31865", bus: "SPI1", cs: "D5", wires: 4, mains_hz: 50 }),
      ch("t2", { sensor: "ntc", pin: "D34", calibration: { ...BETA, code_full_scale: 4095 } }),
      ch("p1", { ...ADS, input: "AIN0", calibration: BETA }),
    ]);
    expect(m).toContain('/channels/0 ("t1"): a MAX31865 channel needs an "rtd_cvd" calibration (its codes are resistance ratios), not "linear"');
    expect(m).toContain('/channels/1 ("t2"): analog pin codes span 65535, not 4095: set code_full_scale to 65535');
    expect(m).toContain('/channels/2 ("p1"): the codes of a "ads1115" channel are linear in its quantity: use a "linear" calibration, not "ntc_beta"');
  });

  it("refuses rates the chips cannot convert at", () => {
    const m = problems([
      ch("t1", { sensor: "max31865", bus: "SPI1", cs: "D5", wires: 4, mains_hz: 50, calibration: PT100, rate_hz: 100 }),
      ch("i1", { ...INA, measure: "current", averages: 64, rate_hz: 20 }),
      ch("p4", { sensor: "abp2", bus: "I2C1", address: 0x28, rate_hz: 250 }),
      ...["AIN0", "AIN1", "AIN2", "AIN3"].map((input, i) => ch(`c${i}`, { ...ADS, input, rate_hz: 250 })),
    ]);
    expect(m).toContain('/channels/0 ("t1"): rate 100 Hz is too fast: the MAX31865 converts every 20 ms with the 50 Hz filter; use at most 50 Hz');
    expect(m).toContain('/channels/1 ("i1"): rate 20 Hz is too fast: the INA226 updates every 140.8 ms (2 × 1100 µs × 64 averages); use at most 7 Hz');
    expect(m).toContain('/channels/2 ("p4"): rate 250 Hz is too fast: the ABP2 takes 5 ms per conversion; use at most 200 Hz');
    expect(m).toContain('/channels/3 ("c0"): 4 inputs of one ADS1115 take 5.12 ms per scan, longer than a sample period at 250 Hz: lower the rate or use a second ADS1115');
  });

  it("refuses an INA226 calibration that does not fit 15 bits", () => {
    expect(problems([ch("i1", { ...INA, measure: "current", current_lsb_A: 1e-6 })])).toContain("INA226 calibration 0.00512 / (0.000001 A × 0.002 Ω) = 2560000 does not fit the 15-bit register");
  });
});
