import { describe, expect, it } from "vitest";
import { createCell, loadPreset } from "../../../sim/physics/index.ts";

describe("Cell stepping", () => {
  it("resolves currents from C-rate, mA/g and amperes", () => {
    const gas = createCell("graphite-nmc-gas");
    gas.advanceTo(10);
    expect(gas.state.current_A).toBeCloseTo(0.5 * 0.12 * 0.17, 15);
    const hc = createCell("hard-carbon-stress", { Protocol: { Steps: [{ "Current [A]": -2e-5, "Lower voltage cut-off [V]": 0.005 }] } });
    hc.advanceTo(1);
    expect(hc.state.current_A).toBe(-2e-5);
  });

  it("ramps the current over the first step, so ∫I dt is the trapezoid", () => {
    const cell = createCell("graphite-nmc-gas");
    expect(cell.state.current_A).toBe(0);
    const s = cell.advanceTo(1);
    expect(s.current_A).toBeCloseTo(0.0102, 15);
    expect(s.charge_Ah).toBeCloseTo((0.5 * 0.0102) / 3600, 18);
  });

  it("advances to the last step at or before a time and interpolates between steps", () => {
    const cell = createCell("solid-state-stack", { "Time step [s]": 2 });
    expect(cell.advanceTo(101).test_time_s).toBe(100);
    const before = { soc: cell.state.soc, time: cell.state.test_time_s };
    const mid = cell.stateAt(101);
    expect(mid.test_time_s).toBe(101);
    expect(cell.state.test_time_s).toBe(102);
    expect(mid.soc).toBeCloseTo((before.soc + cell.state.soc) / 2, 15);
    expect(mid.current_A).toBe(cell.state.current_A);
    expect(cell.stateAt(102)).toBe(cell.state);
    // Looking back within the kept history works; further back is an error that says what to change.
    expect(cell.stateAt(99).test_time_s).toBe(99);
    cell.advanceTo(1000);
    expect(() => cell.stateAt(500)).toThrow(/cell state at 500 s is no longer kept: the cell is at 1000 s .* \(raise history_s\)/);
  });

  it("gives Unix time from the start time", () => {
    const cell = createCell("solid-state-stack", undefined, { startUnixTime_s: 1.7e9 });
    expect(cell.advanceTo(60).unix_time_s).toBe(1.7e9 + 60);
  });

  it("leaves quantities of absent submodels NaN", () => {
    const s = createCell("solid-state-stack").advanceTo(10);
    expect(s.pressure_Pa).toBeNaN();
    expect(s.curvature_per_m).toBeNaN();
    expect(s.stack_pressure_Pa).toBeGreaterThan(0);
  });
});

describe("solid-state stack pressure", () => {
  const preset = loadPreset("solid-state-stack");
  const stack = preset.Stack!;

  it("is the applied pressure plus breathing through the frame's stiffness", () => {
    const cell = createCell("solid-state-stack", { Thermal: { "Swing amplitude [K]": 0 } });
    let top = { soc: 0, pressure: 0 };
    while (!cell.finished && cell.state.cycle_count === 1) {
      const s = cell.advanceTo(cell.state.test_time_s + 600);
      if (s.soc > top.soc) top = { soc: s.soc, pressure: s.stack_pressure_Pa };
    }
    const perSoc_Pa = (stack["Stack stiffness [N/m]"] * stack["Thickness change at full charge [m]"]) / stack["Cell area [m2]"];
    expect(top.pressure).toBeCloseTo(stack["Applied pressure [Pa]"] + perSoc_Pa * top.soc, 6);
    expect(top.pressure - stack["Applied pressure [Pa]"]).toBeGreaterThan(1e6);
    expect(cell.state.applied_pressure_Pa).toBe(5e6);
  });

  it("relaxes as the frame warms", () => {
    const cold = createCell("solid-state-stack", { Thermal: { "Mean temperature [K]": 293.15, "Swing amplitude [K]": 0 } });
    const warm = createCell("solid-state-stack", { Thermal: { "Swing amplitude [K]": 0, "Drift [K/s]": 1e-3, "Cell thermal time constant [s]": 0 } });
    cold.advanceTo(1000);
    warm.advanceTo(1000);
    // Same state of charge; the warm cell is 1 K above its reference.
    expect(warm.state.soc).toBeCloseTo(cold.state.soc, 12);
    expect(warm.state.stack_pressure_Pa - cold.state.stack_pressure_Pa).toBeCloseTo(stack["Pressure temperature coefficient [Pa/K]"] * 1, 3);
  });
});
