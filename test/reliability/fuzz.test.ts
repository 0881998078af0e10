// The short bad-input campaign: every surface of `npm run fuzz` with the same fixed seed and a few
// thousand inputs (a few dozen for the board, which runs the built firmware in the simulator).
// Nothing may crash or hang, every refusal must carry a reason, and the targets must keep
// answering valid requests; the full campaign's counts are in docs/RELIABILITY.md.
import { describe, expect, it } from "vitest";
import { DEFAULT_SEED, formatTable, SURFACES } from "../../scripts/fuzz/campaign.ts";

describe("bad input, short campaign", () => {
  for (const surface of SURFACES) {
    it(`${surface.name}: ${surface.short} inputs, no crash, no hang, every refusal with a reason`, async () => {
      const report = await surface.run(surface.short, DEFAULT_SEED);
      console.log(formatTable([report]));
      expect(report.failures).toEqual([]);
      expect(report.tried).toBe(surface.short);
      expect(report.crashes).toBe(0);
      expect(report.hangs).toBe(0);
      expect(report.accepted + Object.values(report.refused).reduce((a, b) => a + b, 0)).toBe(report.tried);
      // the seeds are mutated, not replaced: some inputs still get through, most are refused
      expect(report.accepted).toBeGreaterThan(0);
      expect(Object.keys(report.refused).length).toBeGreaterThan(1);
    }, 120_000);
  }
});
