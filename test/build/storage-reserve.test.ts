import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_FILE_MAX_BYTES, CREDENTIALS_BYTES, STORAGE_RESERVE_BYTES, bundleFlashProblem, limitProblems } from "../../boards/limits.ts";
import { loadBoardProfile } from "../../boards/profile.ts";
import type { RigConfig } from "../../boards/rig-schema.ts";

const rig = (name: string) => JSON.parse(readFileSync(new URL(`../../rigs/${name}.json`, import.meta.url), "utf8")) as RigConfig;

describe("Storage kept beside the bundle and the store", () => {
  it("the firmware sizes its store with the reserve the build checks against", () => {
    const sizing = readFileSync(new URL("../../firmware/sizing.ts", import.meta.url), "utf8");
    expect(sizing).toContain(`const STORAGE_RESERVE_BYTES = ${STORAGE_RESERVE_BYTES};`);
  });

  it("holds every preset rig with its credentials", () => {
    for (const name of ["default", "graphite-nmc-gas", "hard-carbon-stress", "solid-state-stack"]) {
      expect(JSON.stringify(rig(name)).length + CREDENTIALS_BYTES).toBeLessThanOrEqual(CONFIG_FILE_MAX_BYTES);
    }
  });

  it("refuses a rig whose JSON the board could not keep, by its size", () => {
    const big = rig("default");
    big.rig = "r".repeat(CONFIG_FILE_MAX_BYTES);
    const problems = limitProblems(big, loadBoardProfile("linux"));
    expect(problems.some((p) => /the rig configuration takes \d+ bytes as JSON, more than the 2816 the board keeps/.test(p))).toBe(true);
    expect(limitProblems(rig("default"), loadBoardProfile("linux"))).toEqual([]);
  });

  it("an nRF52 board's bundle has the 40 960 bytes less two segments and the reserve", () => {
    const board = loadBoardProfile("mdbt42q");
    const room = 40960 - 2 * 4096 - STORAGE_RESERVE_BYTES;
    expect(bundleFlashProblem(room, {}, board)).toBeUndefined();
    expect(bundleFlashProblem(room + 1, {}, board)).toContain(`has room for ${room}`);
  });
});
