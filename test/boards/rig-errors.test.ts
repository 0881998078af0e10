import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jsonPositions, positionOf } from "../../boards/json-positions.ts";
import { loadBoardProfile } from "../../boards/profile.ts";
import { loadRigConfig, validateRigConfig } from "../../boards/rig-config.ts";
import { nearestName, RigConfigError, sensorKinds } from "../../boards/rig-errors.ts";

const FIXTURE = new URL("./fixtures/rig-with-mistakes.json", import.meta.url).pathname;
const defaultRig = JSON.parse(readFileSync(new URL("../../rigs/default.json", import.meta.url), "utf8"));
const linux = loadBoardProfile("linux");
const pico = loadBoardProfile("pico");

function mistakes(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    return (err as Error).message.split("\n").slice(1).map((l) => l.trim());
  }
  throw new Error("expected the rig to be refused");
}

describe("JSON key positions", () => {
  const text = '{\n  "a": 1,\n  "list": [\n    { "id": "x", "s/t": true },\n    [2, null]\n  ],\n  "e": "q\\"}"\n}';

  it("finds each member at its key and each element at its first character", () => {
    const at = jsonPositions(text);
    expect(at.get("")).toEqual({ line: 1, column: 1 });
    expect(at.get("/a")).toEqual({ line: 2, column: 3 });
    expect(at.get("/list/0")).toEqual({ line: 4, column: 5 });
    expect(at.get("/list/0/id")).toEqual({ line: 4, column: 7 });
    expect(at.get("/list/0/s~1t")).toEqual({ line: 4, column: 18 });
    expect(at.get("/list/1/1")).toEqual({ line: 5, column: 9 });
    expect(at.get("/e")).toEqual({ line: 7, column: 3 });
  });

  it("falls back to the nearest ancestor the text has, and keeps what it read before a fault", () => {
    expect(positionOf(jsonPositions(text), "/list/0/missing/deeper")).toEqual({ line: 4, column: 5 });
    const broken = jsonPositions('{\n  "a": 1,\n  "b": tru');
    expect(broken.get("/a")).toEqual({ line: 2, column: 3 });
  });
});

describe("rig-file mistakes", () => {
  it("a file with an unknown sensor, a pin the board lacks, a rate above its limit and two channels on one address gives one line each, with file, line and fix", () => {
    const lines = mistakes(() => loadRigConfig(FIXTURE, pico));
    const file = "fixtures/rig-with-mistakes.json:";
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain(`${file}11:7: /channels/0/sensor: unknown sensor "ads1151" of channel "p1": did you mean "ads1115"?`);
    expect(lines[1]).toContain(`${file}24:7: /channels/1 ("t1"): A9 is not an analog pin of pico (it has A0, A1, A5, A6, A7, B1)`);
    expect(lines[2]).toContain(`${file}34:7: /channels/2 ("t2"): rate 2500 Hz is above pico's limit of 1000 Hz: set rate_hz to at most 1000`);
    expect(lines[3]).toContain(`${file}58:7: /channels/4 ("g1"): address 0x40 on I2C1 is already used by channel "i1" (an INA226): give one of them a different address`);
  });

  it("keeps the mistakes as data", () => {
    let error: unknown;
    try {
      loadRigConfig(FIXTURE, pico);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RigConfigError);
    expect((error as RigConfigError).problems.map((p) => p.pointer)).toEqual(["/channels/0/sensor", "/channels/2/rate_hz", "/channels/1/pin", "/channels/4/address"]);
  });

  it("a choice among fixed values is one line that lists them", () => {
    const rig = structuredClone(defaultRig);
    rig.channels[0].input = "AIN5";
    expect(mistakes(() => validateRigConfig(rig, linux))).toEqual([
      '/channels/0/input: "AIN5" is not allowed here: use one of "AIN0", "AIN1", "AIN2", "AIN3", "AIN0-AIN1", "AIN0-AIN3", "AIN1-AIN3", "AIN2-AIN3"',
    ]);
  });

  it("a misspelt optional key is refused on the key itself with the likely name, not ignored", () => {
    const rig = structuredClone(defaultRig);
    rig.helth_s = 30;
    rig.broker.keepalve_s = 30;
    rig.channels[0].rate_Hz = 5;
    rig.channels[0].colour = "red";
    expect(mistakes(() => validateRigConfig(rig, linux))).toEqual([
      '/helth_s: unknown key "helth_s": did you mean "health_s"?',
      '/broker/keepalve_s: unknown key "keepalve_s": did you mean "keepalive_s"?',
      '/channels/0/rate_Hz: unknown key "rate_Hz": did you mean "rate_hz"?',
      '/channels/0/colour: unknown key "colour": remove it (allowed here: id, quantity, unit, rate_hz, calibration, sensor, bus, address, input, range_V)',
    ]);
  });

  it("a __proto__ key is an unknown key, not the object's prototype", () => {
    const rig = JSON.parse(JSON.stringify(defaultRig).replace('"rig":', '"__proto__": { "health_s": 5 }, "rig":'));
    expect(mistakes(() => validateRigConfig(rig, linux))).toEqual([expect.stringMatching(/^\/__proto__: unknown key "__proto__": remove it/)]);
  });

  it("a missing field and a missing sensor each say what to add", () => {
    const rig = structuredClone(defaultRig);
    delete rig.channels[0].range_V;
    delete rig.broker;
    rig.channels.push({ id: "q1", rate_hz: 1 });
    expect(mistakes(() => validateRigConfig(rig, linux))).toEqual([
      '/: add "broker" (required)',
      '/channels/0: add "range_V" (required)',
      `/channels/1/sensor: the sensor of channel "q1" is missing: use one of ${sensorKinds().join(", ")}`,
    ]);
  });

  it("a rate above the board's limit is not also reported as too fast for the chip", () => {
    const rig = structuredClone(defaultRig);
    rig.channels[0] = { id: "g1", quantity: "gas_pressure_pa", unit: "Pa", sensor: "abp2", bus: "I2C1", address: 40, rate_hz: 1500, calibration: { kind: "linear", gain: 0.0149, offset: -25000 } };
    expect(mistakes(() => validateRigConfig(rig, linux))).toEqual(['/channels/0 ("g1"): rate 1500 Hz is above linux\'s limit of 1000 Hz: set rate_hz to at most 1000']);
  });

  it('drops "$comment" notes anywhere in the file', () => {
    const rig = { $comment: "a demo rig", ...structuredClone(defaultRig) };
    rig.channels[0].$comment = "the cell's pressure transducer";
    rig.broker.$comment = "the lab broker";
    const config = validateRigConfig(rig, linux);
    expect(JSON.stringify(config)).not.toContain("$comment");
    expect(config.channels[0]!.id).toBe("p1");
  });

  it("suggests the nearest name only when it is close", () => {
    expect(nearestName("ina266", sensorKinds())).toBe("ina226");
    expect(nearestName("ADS1115", sensorKinds())).toBe("ads1115");
    expect(nearestName("bmp280", sensorKinds())).toBeUndefined();
  });
});
