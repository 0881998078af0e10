import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { boardIds, loadBoardProfile } from "../../boards/profile.ts";
import { validateRigConfig } from "../../boards/rig-config.ts";

const defaultRig = JSON.parse(readFileSync(new URL("../../rigs/default.json", import.meta.url), "utf8"));

describe("board profiles", () => {
  it("every profile loads and validates", () => {
    expect(boardIds()).toEqual(["esp32", "espruino-wifi", "linux", "mdbt42q", "nrf52840dk", "pico"]);
    for (const id of boardIds()) expect(loadBoardProfile(id).id).toBe(id);
  });

  it("an unknown board names the ones that exist", () => {
    expect(() => loadBoardProfile("uno")).toThrow(/board "uno" is not known \(available: esp32, espruino-wifi, linux/);
  });
});

describe("rig configuration", () => {
  const linux = loadBoardProfile("linux");

  it("the default rig fits the linux board", () => {
    expect(validateRigConfig(defaultRig, linux).channels[0]!.id).toBe("p1");
  });

  it("lists every mistake against the board, each with its key path", () => {
    const rig = structuredClone(defaultRig);
    rig.channels.push({ ...rig.channels[0], id: "p2", bus: "I2C2", rate_hz: 5000 });
    rig.channels.push({ ...rig.channels[0], id: "p1" });
    let message = "";
    try {
      validateRigConfig(rig, linux, "rig.json");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("rig.json does not fit board linux");
    expect(message).toContain('/channels/1 ("p2"): rate 5000 Hz is above linux\'s limit of 1000 Hz');
    expect(message).toContain('/channels/1 ("p2"): linux has no I2C2 (it has I2C1)');
    expect(message).toContain('/channels/2 ("p1"): address 0x48 on I2C1 is already used by channel "p1"');
    expect(message).toContain('/channels/2: channel id "p1" is used twice');
  });

  it("refuses rates that share no common tick of at least 1 ms", () => {
    const rig = structuredClone(defaultRig);
    rig.channels.push({ ...rig.channels[0], id: "p2", address: 73, rate_hz: 9.9 });
    rig.channels[0].rate_hz = 10;
    expect(() => validateRigConfig(rig, linux)).toThrow(/no common tick of at least 1 ms/);
  });

  it("reports schema errors with the path of the field", () => {
    const rig = structuredClone(defaultRig);
    rig.channels[0].sensor = "bmp280";
    rig.frame_s = 0;
    expect(() => validateRigConfig(rig, linux, "rig.json")).toThrow(/rig.json is invalid:[\s\S]*\/frame_s/);
  });
});
