import { describe, expect, it } from "vitest";
import { renderChart } from "../../../host/report/chart.ts";
import { decimateMinMax } from "../../../host/report/decimate.ts";
import { svgToPng } from "../../../host/report/png.ts";
import { formatTick, niceTicks } from "../../../host/report/ticks.ts";

describe("plotting primitives", () => {
  it("chooses ticks of 1, 2 or 5 × 10ⁿ that cover the range, labelled with a true minus sign", () => {
    expect(niceTicks(0, 4.2, 6).ticks).toEqual([0, 1, 2, 3, 4, 5]);
    expect(niceTicks(-1.1, 0.4, 5).ticks).toEqual([-1.5, -1, -0.5, 0, 0.5]);
    expect(niceTicks(3.05, 3.14, 6).step).toBeCloseTo(0.02, 12);
    expect(formatTick(-0.5, 0.5)).toBe("−0.5");
    expect(formatTick(2e-6, 1e-6)).toBe("2e−6");
  });

  it("keeps each pixel column's first, lowest, highest and last point, and breaks lines at gaps", () => {
    const n = 1_000_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => (i === 123_456 ? 10 : i === 654_321 ? -10 : Math.sin(i / 1000)));
    y[500_000] = Number.NaN;
    const out = decimateMinMax(x, y, 0, n, 600);
    expect(out.x.length).toBeLessThan(4 * 602 + 2);
    expect(Math.max(...out.y.filter(Number.isFinite))).toBe(10);
    expect(Math.min(...out.y.filter(Number.isFinite))).toBe(-10);
    expect(out.y.filter(Number.isNaN)).toHaveLength(1);
  });

  it("draws labelled axes, a legend and renders to PNG", () => {
    const svg = renderChart({
      title: "Test",
      xLabel: "Time (h)",
      panels: [
        { yLabel: "Voltage (V)", series: [{ kind: "line", label: "Voltage", x: [0, 1, 2], y: [3, 4, 3.5], colour: "#0072B2" }] },
        { yLabel: "Gas (µmol)", series: [{ kind: "bar", label: "Gas", x: [1, 2], y: [1, 2], colour: "#D55E00" }], yFromZero: true },
      ],
    });
    for (const text of ["Time (h)", "Voltage (V)", "Gas (µmol)", ">Voltage<", ">Gas<"]) expect(svg).toContain(text);
    const png = svgToPng(svg, 1);
    expect([...png.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    expect(png.readUInt32BE(16)).toBe(720);
  });
});
