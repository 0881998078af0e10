// Twin behaviour the driver tests do not reach: conversion timing seen on the registers, seeded
// noise, averaging, and the physical models behind the analog twins.
import { describe, expect, it } from "vitest";
import { CONFIG_OS, lsb_V } from "../../../boards/chips/ads1115.ts";
import { STATUS_BUSY, STATUS_POWERED } from "../../../boards/chips/abp2.ts";
import { ntcSteinhartHartTemperature_degC } from "../../../protocol/decode/physical.ts";
import { Abp2Twin } from "../../../sim/chips/abp2.ts";
import { Ads1115Twin } from "../../../sim/chips/ads1115.ts";
import { Ina226Twin } from "../../../sim/chips/ina226.ts";
import { Max31865Twin } from "../../../sim/chips/max31865.ts";
import { gaussianAt } from "../../../sim/chips/noise.ts";
import { ntcResistance_ohm } from "../../../sim/chips/ntc-divider.ts";
import { erf, QuadrantTwin } from "../../../sim/chips/photodiodes.ts";

function word(bytes: Uint8Array): number {
  return (bytes[0]! << 8) | bytes[1]!;
}

describe("seeded noise", () => {
  it("is reproducible per (seed, key), differs across seeds, and is standard normal", () => {
    expect(gaussianAt(1, 12345)).toBe(gaussianAt(1, 12345));
    expect(gaussianAt(1, 12345)).not.toBe(gaussianAt(2, 12345));
    const n = 20000;
    let sum = 0;
    let sq = 0;
    for (let k = 0; k < n; k++) {
      const g = gaussianAt(7, 1_800_000_000_000_000 + k * 1000);
      sum += g;
      sq += g * g;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.sqrt(sq / n)).toBeCloseTo(1, 1);
  });
});

describe("ADS1115 twin", () => {
  it("a single-shot conversion keeps OS at 0 and the old result until 1/DR has passed", () => {
    const twin = new Ads1115Twin(0x48);
    twin.setInput(0, () => 1);
    // AIN0 against GND, ±4.096 V, 860 SPS, single-shot, started (OS = 1).
    const config = CONFIG_OS | (4 << 12) | (1 << 9) | 0x0100 | (7 << 5) | 3;
    twin.write(Uint8Array.of(1, config >> 8, config & 0xff), 10);
    twin.write(Uint8Array.of(1), 10.0005);
    expect(word(twin.read(2, 10.0005)) & CONFIG_OS).toBe(0);
    twin.write(Uint8Array.of(0), 10.0005);
    expect(word(twin.read(2, 10.0005))).toBe(0);
    expect(word(twin.read(2, 10 + 1 / 860))).toBe(Math.round(1 / lsb_V(4.096)));
    twin.write(Uint8Array.of(1), 10.01);
    expect(word(twin.read(2, 10.01)) & CONFIG_OS).toBe(CONFIG_OS);
  });

  it("adds input-referred noise of the given size", () => {
    const twin = new Ads1115Twin(0x48, { noise_V: 10 * lsb_V(2.048), seed: 3 });
    const codes = Array.from({ length: 4000 }, (_, k) => twin.codeAt(100 + k / 860));
    const mean = codes.reduce((s, c) => s + c, 0) / codes.length;
    const rms = Math.sqrt(codes.reduce((s, c) => s + (c - mean) ** 2, 0) / codes.length);
    expect(Math.abs(mean)).toBeLessThan(0.5);
    expect(rms).toBeGreaterThan(9);
    expect(rms).toBeLessThan(11);
  });
});

describe("INA226 twin", () => {
  function configure(twin: Ina226Twin, avgCode: number): void {
    const config = (avgCode << 9) | (4 << 6) | (4 << 3) | 7;
    twin.write(Uint8Array.of(5, 0x0a, 0x00), 0);
    twin.write(Uint8Array.of(0, config >> 8, config & 0xff), 0);
  }

  it("updates every (bus + shunt time) × averages and divides noise by √N", () => {
    const quiet = new Ina226Twin(0x40, { shunt_ohm: 0.002, shuntNoise_V: 40 * 2.5e-6, seed: 9 });
    configure(quiet, 3);
    expect(quiet.updatePeriod_s()).toBeCloseTo(64 * 2.2e-3, 12);
    const spread = (twin: Ina226Twin) => {
      const codes = Array.from({ length: 400 }, (_, k) => twin.results(1 + k * twin.updatePeriod_s()).shunt - 400);
      return Math.sqrt(codes.reduce((s, c) => s + c * c, 0) / codes.length);
    };
    const loud = new Ina226Twin(0x40, { shunt_ohm: 0.002, shuntNoise_V: 40 * 2.5e-6, seed: 9 });
    configure(loud, 0);
    // 0.5 A through 2 mΩ is 1 mV: 400 codes. 40 codes of noise per sample, 5 after 64 averages.
    expect(spread(loud)).toBeGreaterThan(35);
    expect(spread(quiet)).toBeLessThan(7);
  });

  it("answers the identity registers and resets on RST", () => {
    const twin = new Ina226Twin(0x40, { shunt_ohm: 0.002 });
    twin.write(Uint8Array.of(0xfe), 0);
    expect(word(twin.read(2, 0))).toBe(0x5449);
    twin.write(Uint8Array.of(0xff), 0);
    expect(word(twin.read(2, 0))).toBe(0x2260);
    twin.write(Uint8Array.of(5, 0x0a, 0x00), 0);
    twin.write(Uint8Array.of(0, 0x80, 0x00), 0);
    twin.write(Uint8Array.of(5), 0);
    expect(word(twin.read(2, 0))).toBe(0);
    twin.write(Uint8Array.of(0), 0);
    expect(word(twin.read(2, 0))).toBe(0x4127);
  });
});

describe("MAX31865 twin", () => {
  it("auto-increments through registers on a long transfer and clears the self-clearing bits", () => {
    const twin = new Max31865Twin("D5", { ref_ohm: 400, r0_ohm: 100 });
    twin.transfer(Uint8Array.of(0x83, 0x12, 0x34, 0x05, 0x06), 0);
    expect(Array.from(twin.transfer(Uint8Array.of(0x03, 0, 0, 0, 0), 0))).toEqual([0, 0x12, 0x34, 0x05, 0x06]);
    twin.transfer(Uint8Array.of(0x80, 0xc3), 0);
    expect(twin.transfer(Uint8Array.of(0x00, 0), 0)[1]).toBe(0xc1);
  });

  it("has no conversion before bias and the first conversion period", () => {
    const twin = new Max31865Twin("D5", { ref_ohm: 400, r0_ohm: 100 });
    twin.setTemperature(() => 0);
    expect(twin.rtdCode(1)).toBe(0);
    twin.transfer(Uint8Array.of(0x80, 0xc1), 1);
    expect(twin.rtdCode(1.01)).toBe(0);
    expect(twin.rtdCode(1.02)).toBe(8192);
  });
});

describe("ABP2 twin", () => {
  it("is busy for 5 ms after the measurement command", () => {
    const twin = new Abp2Twin(0x28, { min_Pa: 0, max_Pa: 1e5 });
    twin.setPressure(() => 5e4);
    twin.write(Uint8Array.of(0xaa, 0, 0), 2);
    expect(twin.read(1, 2.004)[0]).toBe(STATUS_POWERED | STATUS_BUSY);
    const b = twin.read(7, 2.005);
    expect(b[0]).toBe(STATUS_POWERED);
    expect((b[1]! << 16) | (b[2]! << 8) | b[3]!).toBe(8388608);
  });
});

describe("analog models", () => {
  it("the Steinhart–Hart resistance inverts the host's conversion", () => {
    const sh = { A: 1.009249522e-3, B: 2.378405444e-4, C: 2.019202697e-7 };
    for (const t of [-20, 0, 25, 60, 100]) expect(ntcSteinhartHartTemperature_degC(ntcResistance_ohm(sh, t), sh)).toBeCloseTo(t, 9);
  });

  it("erf matches known values, and the quadrant's scale makes small offsets linear to 0.1 %", () => {
    expect(erf(0)).toBeCloseTo(0, 7);
    expect(erf(0.5)).toBeCloseTo(0.5204998778, 6);
    expect(erf(-1)).toBeCloseTo(-0.8427007929, 6);
    const quad = new QuadrantTwin(1e-3, { transimpedance_ohm: 1e5, rail_V: 5 }, () => 1e-5);
    quad.setPosition(() => 10e-6, () => -20e-6);
    const v = [0, 1, 2, 3].map((i) => quad.voltage_V(i, 0));
    const sum = v[0]! + v[1]! + v[2]! + v[3]!;
    expect((quad.positionScale_m() * (v[0]! + v[3]! - v[1]! - v[2]!)) / sum).toBeCloseTo(10e-6, 7);
    expect((quad.positionScale_m() * (v[0]! + v[1]! - v[2]! - v[3]!)) / sum).toBeCloseTo(-20e-6, 7);
  });
});
