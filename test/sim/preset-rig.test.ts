// Each preset's rig: the twins present the cell's true quantities through each sensor's transfer
// function, so a code calibrated by the rig's own calibration gives back the ground truth.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadBoardProfile } from "../../boards/profile.ts";
import { validateRigConfig } from "../../boards/rig-config.ts";
import { buildFirmware } from "../../scripts/build/bundle.ts";
import { Ina226Twin } from "../../sim/chips/ina226.ts";
import { PsdTwin } from "../../sim/chips/photodiodes.ts";
import { startPresetRig } from "../../sim/preset-rig.ts";
import { VirtualClock } from "../../sim/runtime/clock.ts";

const START_s = 1_800_000_000;
const linux = loadBoardProfile("linux");

async function presetRig(preset: string, seconds: number) {
  const config = validateRigConfig(JSON.parse(readFileSync(new URL(`../../rigs/${preset}.json`, import.meta.url), "utf8")), linux);
  const bundle = await buildFirmware({ board: linux, config });
  const clock = new VirtualClock(START_s);
  const rig = startPresetRig({ code: bundle.code, board: linux, config, preset, boards: 1, clock, noise: false });
  rig.networks[0]!.setReachable(false);
  clock.advanceBy(seconds);
  return { rig, clock, config };
}

describe("preset rigs", () => {
  it("solid-state-stack: the load cell's code, calibrated, is the stack pressure; the INA226 sees the cell", async () => {
    const { rig, clock, config } = await presetRig("solid-state-stack", 120);
    const t = clock.now_s() - 0.05;
    const state = rig.cells[0]!.stateAt(t - rig.start_s);
    const f1 = config.channels.find((c) => c.id === "f1")!;
    const cal = f1.calibration as { gain: number; offset: number };
    expect(cal.gain * rig.twin(0, "f1").codeAt(t) + cal.offset).toBeCloseTo(state.stack_pressure_Pa, -4);
    const ina = rig.sensor(0, "i1") as Ina226Twin;
    expect(ina.results(t).current * 1e-7).toBeCloseTo(state.current_A, 6);
    expect(ina.results(t).bus * 1.25e-3).toBeCloseTo(state.voltage_V, 2);
    expect(rig.boards[0]!.errors).toEqual([]);
    rig.close();
  }, 60_000);

  it("hard-carbon-stress: each beam's detector sees its spot and photocurrent", async () => {
    const { rig, clock } = await presetRig("hard-carbon-stress", 20);
    const t = clock.now_s();
    const state = rig.cells[0]!.stateAt(t - rig.start_s);
    const beam2 = rig.sensor(0, "a2") as PsdTwin;
    expect(rig.sensor(0, "b2")).toBe(beam2);
    expect(rig.sensor(0, "a1")).not.toBe(beam2);
    expect(beam2.voltage_V(0, t) / 1e4).toBeCloseTo(state.psd_currents_A[2]!, 9);
    expect(beam2.voltage_V(1, t) / 1e4).toBeCloseTo(state.psd_currents_A[3]!, 9);
    expect(rig.boards[0]!.errors).toEqual([]);
    rig.close();
  }, 60_000);

  it("refuses a channel whose quantity the preset does not simulate, naming what it does", async () => {
    const raw = JSON.parse(readFileSync(new URL("../../rigs/solid-state-stack.json", import.meta.url), "utf8"));
    raw.channels[0].quantity = "cell_pressure_pa";
    const config = validateRigConfig(raw, linux);
    const clock = new VirtualClock(START_s);
    expect(() => startPresetRig({ code: "", board: linux, config, preset: "solid-state-stack", boards: 1, clock })).toThrow(
      /channel "f1" measures "cell_pressure_pa", which cell preset "solid-state-stack" does not simulate; give it one of: .*surface_pressure_pa/,
    );
  });
});
