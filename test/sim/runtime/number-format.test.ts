import { describe, expect, it } from "vitest";
import { espruinoNumberToString } from "../../../sim/runtime/number-format.ts";

describe("espruinoNumberToString", () => {
  it.each([
    [1 / 3, "0.33333333333"],
    [3.14159265358979, "3.14159265358"],
    [-2.5, "-2.5"],
    [0.1, "0.1"],
    [0.3, "0.3"],
    [1735689600.25, "1735689600.25"],
    [4.99999999, "5"],
    [1e-7, "1e-7"],
    [-42, "-42"],
    [0, "0"],
    [NaN, "NaN"],
    [-Infinity, "-Infinity"],
  ])("prints %d as %s", (value, text) => {
    expect(espruinoNumberToString(value)).toBe(text);
  });
});
