import { describe, expect, it } from "vitest";
import { createCell, loadPreset, presetNames, validatePreset } from "../../../sim/physics/index.ts";

describe("cell presets", () => {
  it("ships the three rigs", () => {
    expect(presetNames()).toEqual(["graphite-nmc-gas", "hard-carbon-stress", "solid-state-stack"]);
  });

  it.each(presetNames())("%s names itself and says where every value comes from", (name) => {
    const preset = loadPreset(name);
    expect(preset.Name).toBe(name);
    const sections = Object.entries(preset).filter(([, v]) => typeof v === "object" && v !== null && !Array.isArray(v));
    expect(sections.length).toBeGreaterThanOrEqual(3);
    for (const [section, values] of sections) {
      const { notes, ...params } = values as { notes: Record<string, string> };
      for (const key of Object.keys(params)) expect(notes[key], `${name} ${section} "${key}" has no note`).toMatch(/\S/);
    }
  });

  it("names a preset that does not exist and the nearest one", () => {
    expect(() => createCell("hard-carbon-stres")).toThrow(/cell preset "hard-carbon-stres" does not exist.*nearest: "hard-carbon-stress"/);
  });

  it("applies overrides and validates them", () => {
    const cell = createCell("graphite-nmc-gas", { Thermal: { "Swing amplitude [K]": 0.5 } });
    expect(cell.preset.Thermal["Swing amplitude [K]"]).toBe(0.5);
    expect(cell.preset.Thermal["Swing period [s]"]).toBe(28800);
    expect(() => createCell("graphite-nmc-gas", { Headspace: { "Headspace volume [m3]": -1 } })).toThrow(
      /with overrides is invalid:[\s\S]*\/Headspace\/Headspace volume \[m3\]/,
    );
  });

  it("rejects a misspelt parameter instead of ignoring it", () => {
    const preset = loadPreset("solid-state-stack") as unknown as Record<string, Record<string, unknown>>;
    const broken = { ...preset, Stack: { ...preset.Stack, "Applied presure [Pa]": 1e6 } };
    expect(() => validatePreset(broken, "test preset")).toThrow(/test preset is invalid:[\s\S]*\/Stack/);
  });

  it("lists every inconsistency at once", () => {
    const preset = loadPreset("graphite-nmc-gas");
    const broken = {
      ...preset,
      Electrochemistry: {
        ...preset.Electrochemistry,
        "Negative electrode potential": undefined,
        "Open-circuit voltage": { "State of charge [1]": [0, 0.5, 0.4], "Voltage [V]": [3, 3.5, 4] },
      },
    };
    delete broken.Electrochemistry["Negative electrode potential"];
    expect(() => validatePreset(broken)).toThrow(
      /Open-circuit voltage: states of charge must increase strictly[\s\S]*"SEI formation"\): gate "negative electrode potential below" needs the "Negative electrode potential" table/,
    );
  });

  it("explains a protocol step that cannot end", () => {
    expect(() => createCell("graphite-nmc-gas", { Protocol: { Steps: [{ "C-rate [1/h]": 1 }] } })).toThrow(
      /protocol step 0: a charging step \(positive current\) needs "Upper voltage cut-off \[V\]" or "Time limit \[s\]"/,
    );
    expect(() => createCell("graphite-nmc-gas", { Protocol: { Steps: [{ "C-rate [1/h]": 1, "Current [A]": 0.01 }] } })).toThrow(
      /protocol step 0: give exactly one of .* \(got Current \[A\], C-rate \[1\/h\]\)/,
    );
  });
});
