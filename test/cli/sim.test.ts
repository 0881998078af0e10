import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { parseDuration, sim } from "../../cli/commands/sim.ts";

describe("cellrig sim", () => {
  it("reads durations in s, m, h and d", () => {
    expect(parseDuration("90s")).toBe(90);
    expect(parseDuration("45m")).toBe(2700);
    expect(parseDuration("12h")).toBe(43200);
    expect(parseDuration("7d")).toBe(604800);
    expect(parseDuration("30")).toBe(30);
    expect(() => parseDuration("7 days")).toThrow(/--duration must be a number with s, m, h or d/);
    expect(() => parseDuration("0s")).toThrow(/longer than 0 s/);
  });

  it("refuses an unknown preset, naming the ones there are", async () => {
    await expect(sim.run(["--preset", "nmc", "--duration", "1m"])).rejects.toThrow(/--preset "nmc" does not exist; choose one of graphite-nmc-gas, hard-carbon-stress, solid-state-stack/);
  });

  it("runs a preset into an embedded broker and writes ground truth and the fault record", async () => {
    const out = mkdtempSync(join(tmpdir(), "cellrig-cli-sim-"));
    const faults = join(out, "faults-in.json");
    writeFileSync(faults, JSON.stringify([{ at_s: 30, kind: "brownout" }]));
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const code = await sim.run(["--preset", "solid-state-stack", "--duration", "90s", "--out", out, "--faults", faults]);
      expect(code).toBe(0);
      expect(lines.join("\n")).toMatch(/simulated\s+90 s in/);
      expect(lines.join("\n")).toMatch(/faults\s+1 applied/);
      expect(lines.join("\n")).toMatch(/reboots\s+1; firmware errors 0/);
      expect(readFileSync(join(out, "sim-1.csv"), "utf8").trim().split("\n").length).toBe(92);
      expect(existsSync(join(out, "sim-1.json"))).toBe(true);
      expect(JSON.parse(readFileSync(join(out, "faults.jsonl"), "utf8").trim()).event.kind).toBe("brownout");
    } finally {
      log.mockRestore();
      stderr.mockRestore();
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
