import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { firstBoardCommands, portsNamed, runFirstBoard } from "../../scripts/readme-first-board.ts";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe('README "First board in five minutes"', () => {
  it("is init, build, a broker and a simulated board in the background, flash and monitor", () => {
    const commands = firstBoardCommands(readme);
    expect(commands.map((c) => c.split(" ")[2])).toEqual(["init", "build", "broker", "device", "flash", "monitor"]);
    expect(portsNamed(commands)).toEqual(["1883", "8888"]);
  });

  it("run as written in an empty directory, ends with the board publishing its pressure", { timeout: 400_000 }, async () => {
    const run = await runFirstBoard();
    expect(run.steps.map((s) => s.kind)).toEqual(["run", "run", "background", "background", "run", "watch"]);
    expect(run.steps[4]!.output).toMatch(/alive: board bench-1 of rig demo, firmware \S+ build [0-9a-f]{12}/);
    const pressure_Pa = Number(/p1=(\S+) Pa/.exec(run.dataLines[0]!)![1]);
    // A sealed cell at rest near 1 atm, its temperature swinging 1 K about 25 °C.
    expect(pressure_Pa).toBeGreaterThan(101325 * (1 - 0.005));
    expect(pressure_Pa).toBeLessThan(101325 * (1 + 0.005));
  });
});
