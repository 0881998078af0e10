// The INA226 driver in the firmware bundle against its register-level twin, checked with the
// datasheet's worked example (SBOS547 Table 1: 10 A through 2 mΩ, 12 V common mode, 1 mA/bit).
import { afterEach, describe, expect, it } from "vitest";
import { BUS_LSB_V, POWER_LSB_PER_CURRENT_LSB, SHUNT_LSB_V, calibrationRegister } from "../../../boards/chips/ina226.ts";
import { QUALITY_OPEN_CIRCUIT, QUALITY_SATURATED } from "../../../protocol/wire/data-frame.ts";
import { Ina226Twin } from "../../../sim/chips/ina226.ts";
import { channel, driverBench, type DriverBench } from "./sources.ts";

const SHUNT_OHM = 0.002;
const CURRENT_LSB_A = 0.001;

function ina(id: string, measure: string, extra: { [key: string]: unknown } = {}) {
  return channel({ id, sensor: "ina226", bus: "I2C1", address: 0x40, measure, shunt_ohm: SHUNT_OHM, current_lsb_A: CURRENT_LSB_A, averages: 1, conversion_us: 1100, ...extra });
}

const CHANNELS = [ina("i", "current"), ina("vsh", "shunt_voltage"), ina("vbus", "bus_voltage"), ina("p", "power")];

describe("INA226 driver against its twin", () => {
  let bench: DriverBench | undefined;
  let twin: Ina226Twin;

  async function setUp(current_A: number, bus_V: number): Promise<DriverBench> {
    twin = new Ina226Twin(0x40, { shunt_ohm: SHUNT_OHM });
    twin.setCurrent(() => current_A);
    twin.setBusVoltage(() => bus_V);
    bench = await driverBench("linux", (b) => b.board.i2c("I2C1").attach(twin));
    return bench;
  }

  afterEach(() => bench?.close());

  it("reproduces the datasheet example: shunt 8000, bus 9584, current 10000, power 4792", async () => {
    const b = await setUp(10, 11.98);
    expect(calibrationRegister(CURRENT_LSB_A, SHUNT_OHM)).toBe(2560);
    expect(b.start(CHANNELS)).toBe("");
    b.advance(0.1);
    const [i, vsh, vbus, p] = [0, 1, 2, 3].map((k) => b.read(k));
    expect(vsh).toEqual({ code: 8000, quality: 0 });
    expect(vbus).toEqual({ code: 9584, quality: 0 });
    expect(i).toEqual({ code: 10000, quality: 0 });
    expect(p).toEqual({ code: 4792, quality: 0 });
    // Through the linear calibrations the host applies: 20 mV, 11.98 V, 10 A, 119.8 W.
    expect(vsh!.code * SHUNT_LSB_V).toBeCloseTo(0.02, 12);
    expect(vbus!.code * BUS_LSB_V).toBeCloseTo(11.98, 12);
    expect(i!.code * CURRENT_LSB_A).toBeCloseTo(10, 12);
    expect(p!.code * POWER_LSB_PER_CURRENT_LSB * CURRENT_LSB_A).toBeCloseTo(119.8, 9);
  });

  it("reads negative current, zero and one LSB", async () => {
    const b = await setUp(-2.5, 0);
    expect(b.start(CHANNELS)).toBe("");
    b.advance(0.1);
    expect(b.read(0).code).toBe(-2500);
    expect(b.read(1).code).toBe(-2000);
    expect(b.read(2).code).toBe(0);
    twin.setCurrent(() => SHUNT_LSB_V / SHUNT_OHM);
    twin.setBusVoltage(() => BUS_LSB_V);
    b.advance(0.1);
    expect(b.read(1).code).toBe(1);
    expect(b.read(2).code).toBe(1);
  });

  it("flags a saturated shunt and a chip that stops answering", async () => {
    const b = await setUp(1, 12);
    expect(b.start(CHANNELS)).toBe("");
    b.advance(0.1);
    twin.setFault("saturated");
    b.advance(0.01);
    expect(b.read(1)).toEqual({ code: 32767, quality: QUALITY_SATURATED });
    twin.setFault("open");
    expect(b.read(0).quality).toBe(QUALITY_OPEN_CIRCUIT);
  });

  it("freezes on a stuck chip and reads zero through a shorted shunt", async () => {
    const b = await setUp(1, 12);
    expect(b.start(CHANNELS)).toBe("");
    b.advance(0.1);
    twin.setFault("stuck", b.bundle.clock.now_s());
    twin.setCurrent(() => 3);
    b.advance(0.1);
    expect(b.read(0).code).toBe(1000);
    twin.setFault("short");
    b.advance(0.01);
    expect(b.read(0).code).toBe(0);
  });

  it("asserts the alert pin above the over-current limit", async () => {
    const b = await setUp(1, 12);
    expect(b.start([ina("i", "current", { alert_over_A: 2 })])).toBe("");
    b.advance(0.1);
    expect(twin.alertAsserted(b.bundle.clock.now_s())).toBe(false);
    twin.setCurrent(() => 2.5);
    b.advance(0.01);
    expect(twin.alertAsserted(b.bundle.clock.now_s())).toBe(true);
  });

  it("names the channel, address and bus when no chip answers, and a wrong chip by its identity", async () => {
    bench = await driverBench("linux", () => {});
    expect(bench.start([ina("i", "current")])).toMatch(/^channel "i": INA226 at 0x40 on I2C1 did not answer \(.*\); check wiring, power and the A0\/A1 address pins$/);
    bench.close();
    bench = await driverBench("linux", (b) => b.board.i2c("I2C1").attach({ address: 0x40, write: () => {}, read: (n) => new Uint8Array(n).fill(0x12) }));
    expect(bench.start([ina("i", "current")])).toMatch(/identity registers read 0x1212\/0x1212, expected 0x5449\/0x2260/);
  });

  it("refuses averaging that a sample period cannot hold", async () => {
    const b = await setUp(1, 12);
    expect(b.start([ina("i", "current", { averages: 64, rate_hz: 10 })])).toMatch(/a result takes 140\.8 ms .* longer than the sample period of 100 ms/);
  });
});
