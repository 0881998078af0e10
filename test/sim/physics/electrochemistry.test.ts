import { describe, expect, it } from "vitest";
import type { PresetOverrides } from "../../../sim/physics/index.ts";
import { column, maxOf, minOf, runWithGroundTruth, trapezoidCharge_As } from "./run.ts";

/** Short enough runs that still cover formation and a few later cycles. */
const runs: [string, PresetOverrides, number][] = [
  [
    "hard-carbon-stress",
    {
      "Time step [s]": 1,
      Protocol: {
        "Number of cycles [1]": 3,
        Steps: [
          { "Specific current [mA/g]": -100, "Lower voltage cut-off [V]": 0.005 },
          { "Rest [s]": 600 },
          { "Specific current [mA/g]": 100, "Upper voltage cut-off [V]": 2.0 },
          { "Rest [s]": 600 },
        ],
      },
    },
    120_000,
  ],
  ["graphite-nmc-gas", { Protocol: { "Number of cycles [1]": 4 } }, 200_000],
  ["solid-state-stack", { Protocol: { "Number of cycles [1]": 3 } }, 300_000],
];

describe.each(runs)("%s", (preset, overrides, duration_s) => {
  const { cell, truth } = runWithGroundTruth(preset, overrides, duration_s);
  const soc = column(truth, "state_of_charge");
  const side = column(truth, "side_reaction_charge_ampere_hour");
  const current = column(truth, "current_ampere");
  const voltage = column(truth, "voltage_volt");
  const step = column(truth, "step_count");
  const cycle = column(truth, "cycle_count");
  const capacity_As = cell.constants.capacity_Ah * 3600;
  const sign = cell.constants.storingSign;

  it("conserves charge: sign·∫I dt = ΔSOC·capacity + side-reaction charge", () => {
    const last = truth.rows - 1;
    const throughput_As = Math.abs(trapezoidCharge_As(truth)) + capacity_As;
    const inflow_As = sign * trapezoidCharge_As(truth);
    const accounted_As = (soc[last]! - soc[0]!) * capacity_As + side[last]! * 3600;
    expect(Math.abs(inflow_As - accounted_As)).toBeLessThanOrEqual(1e-9 * throughput_As);
    // And within each cycle, from the summaries.
    for (const c of truth.cycles.filter((c) => c.complete)) {
      const net_Ah = c.stored_Ah - c.released_Ah;
      expect(net_Ah).toBeCloseTo((c.soc_end - c.soc_start) * cell.constants.capacity_Ah + c.side_reaction_Ah, 12);
    }
  });

  it("summarises each cycle's capacities as ∫I dt over its rows", () => {
    for (const c of truth.cycles.filter((c) => c.complete)) {
      let first = -1;
      let last = -1;
      for (let r = 1; r < truth.rows; r++) {
        if (cycle[r] === c.cycle && column(truth, "step_index")[r]! >= 0) {
          if (first < 0) first = r;
          last = r;
        }
      }
      let positive_As = 0;
      let negative_As = 0;
      const t = column(truth, "test_time_second");
      for (let r = first; r <= last; r++) {
        const q = 0.5 * (current[r - 1]! + current[r]!) * (t[r]! - t[r - 1]!);
        if (q > 0) positive_As += q;
        else negative_As -= q;
      }
      expect(c.charge_Ah).toBeCloseTo(positive_As / 3600, 12);
      expect(c.discharge_Ah).toBeCloseTo(negative_As / 3600, 12);
      expect(c.coulombic_efficiency).toBeCloseTo(c.released_Ah / c.stored_Ah, 15);
    }
  });

  it("has a lower Coulombic efficiency in the first cycle than in later ones", () => {
    const complete = truth.cycles.filter((c) => c.complete);
    expect(complete.length).toBeGreaterThanOrEqual(3);
    const [first, ...later] = complete;
    for (const c of later) {
      expect(first!.coulombic_efficiency).toBeLessThan(c.coulombic_efficiency - 0.05);
      expect(c.coulombic_efficiency).toBeLessThan(1);
    }
    expect(first!.coulombic_efficiency).toBeGreaterThan(0.8);
    expect(complete[2]!.coulombic_efficiency).toBeGreaterThan(0.995);
  });

  it("ends each constant-current step at its cut-off and counts cycles", () => {
    const steps = cell.preset.Protocol.Steps;
    const stepIndex = column(truth, "step_index");
    const violations: string[] = [];
    let endings = 0;
    for (let r = 1; r + 1 < truth.rows; r++) {
      const k = stepIndex[r]!;
      if (k < 0) continue;
      const upper = steps[k]!["Upper voltage cut-off [V]"] ?? Infinity;
      const lower = steps[k]!["Lower voltage cut-off [V]"] ?? -Infinity;
      const ends = step[r + 1] !== step[r];
      const beyond = voltage[r]! >= upper || voltage[r]! <= lower;
      if (upper !== Infinity || lower !== -Infinity) {
        if (ends !== beyond) violations.push(`row ${r}: step ${k} at ${voltage[r]} V ${ends ? "ended inside" : "ran past"} its cut-off`);
        if (ends) endings++;
      }
      if (cycle[r]! < cycle[r - 1]!) violations.push(`row ${r}: cycle count went down`);
    }
    expect(violations).toEqual([]);
    expect(endings).toBe(2 * cell.preset.Protocol["Number of cycles [1]"]);
    expect(maxOf(cycle)).toBe(cell.preset.Protocol["Number of cycles [1]"]);
    expect(cell.finished).toBe(true);
    expect(cell.state.current_A).toBe(0);
    expect(cell.state.step_index).toBe(-1);
  });

  it("charges toward full and back within the table", () => {
    expect(maxOf(soc)).toBeGreaterThan(0.8);
    expect(maxOf(soc)).toBeLessThan(1.02);
    expect(minOf(soc)).toBeGreaterThanOrEqual(0);
  });
});
