import { decimateMinMax } from "./decimate.ts";
import { FONT_FAMILY } from "./palette.ts";
import { formatTick, niceTicks } from "./ticks.ts";

export interface LineSeries {
  kind: "line";
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  colour: string;
  dash?: string;
  /** Draw a marker at every point (short series only). */
  markers?: boolean;
}

export interface BarSeries {
  kind: "bar";
  label: string;
  /** Bar centres on the x axis. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  colour: string;
}

export type Series = LineSeries | BarSeries;

export interface Panel {
  /** Axis label with its unit, e.g. "Voltage (V)". */
  yLabel: string;
  series: Series[];
  /** Include zero in the y range (bar charts). */
  yFromZero?: boolean;
  /** Show the legend (default); panels below one that names the same series leave it out. */
  legend?: boolean;
}

export interface ChartSpec {
  title: string;
  /** Axis label with its unit, e.g. "Time (h)". */
  xLabel: string;
  panels: Panel[];
  width_px?: number;
  /** Height of each panel's plotting area, px. */
  panelHeight_px?: number;
  /** Force integer ticks on x (cycle numbers). */
  xIntegers?: boolean;
}

const MARGIN = { left: 78, right: 18, top: 34, bottom: 50, gap: 14 };
const FONT_PX = 13;

/**
 * A figure of one or more panels stacked over a shared x axis: a frame per panel with ticks on all
 * four sides pointing in, tick labels left and bottom, axis labels with units, a legend in the top
 * right of each panel, lines decimated to the pixel columns they cover. Returns SVG text.
 */
export function renderChart(spec: ChartSpec): string {
  const width = spec.width_px ?? 720;
  const panelHeight = spec.panelHeight_px ?? 240;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const height = MARGIN.top + spec.panels.length * panelHeight + (spec.panels.length - 1) * MARGIN.gap + MARGIN.bottom;
  const xExtent = extent(spec.panels.flatMap((p) => p.series.map((s) => s.x)), spec.panels.some((p) => p.series.some((s) => s.kind === "bar")) ? 0.6 : 0);
  const xAxis = spec.xIntegers ? integerTicks(xExtent.min, xExtent.max) : niceTicks(xExtent.min, xExtent.max, 7);
  const sx = (x: number): number => MARGIN.left + ((x - xAxis.min) / (xAxis.max - xAxis.min)) * plotWidth;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}" font-size="${FONT_PX}">`);
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(`<text x="${width / 2}" y="${MARGIN.top - 14}" text-anchor="middle" font-size="${FONT_PX + 1}" font-weight="bold">${escape(fitTitle(spec.title, width))}</text>`);

  spec.panels.forEach((panel, k) => {
    const top = MARGIN.top + k * (panelHeight + MARGIN.gap);
    const bottom = top + panelHeight;
    const yExtent = extent(panel.series.map((s) => s.y), 0);
    if (panel.yFromZero) {
      yExtent.min = Math.min(0, yExtent.min);
      yExtent.max = Math.max(0, yExtent.max);
    }
    const yAxis = niceTicks(yExtent.min, yExtent.max, 5);
    const sy = (y: number): number => bottom - ((y - yAxis.min) / (yAxis.max - yAxis.min)) * panelHeight;
    const clip = `clip${k}`;
    out.push(`<clipPath id="${clip}"><rect x="${MARGIN.left}" y="${top}" width="${plotWidth}" height="${panelHeight}"/></clipPath>`);

    const drawn: number[] = [];
    for (const series of panel.series) {
      if (series.kind === "bar") out.push(bars(series, sx, sy, xAxis.max - xAxis.min, plotWidth, clip, drawn));
      else out.push(line(series, sx, sy, xAxis.min, xAxis.max, plotWidth, clip, drawn));
    }
    if (yAxis.min < 0 && yAxis.max > 0) {
      out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${f(sy(0))}" y2="${f(sy(0))}" stroke="#999999" stroke-width="0.6"/>`);
    }
    // Frame and ticks.
    out.push(`<rect x="${MARGIN.left}" y="${top}" width="${plotWidth}" height="${panelHeight}" fill="none" stroke="#000000" stroke-width="1"/>`);
    for (const tick of yAxis.ticks) {
      const y = f(sy(tick));
      out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + 5}" y1="${y}" y2="${y}" stroke="#000"/><line x1="${MARGIN.left + plotWidth - 5}" x2="${MARGIN.left + plotWidth}" y1="${y}" y2="${y}" stroke="#000"/>`);
      out.push(`<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="central">${formatTick(tick, yAxis.step)}</text>`);
    }
    for (const tick of xAxis.ticks) {
      const x = f(sx(tick));
      out.push(`<line x1="${x}" x2="${x}" y1="${bottom}" y2="${bottom - 5}" stroke="#000"/><line x1="${x}" x2="${x}" y1="${top}" y2="${top + 5}" stroke="#000"/>`);
      if (k === spec.panels.length - 1) out.push(`<text x="${x}" y="${bottom + 17}" text-anchor="middle">${formatTick(tick, xAxis.step)}</text>`);
    }
    const yMid = (top + bottom) / 2;
    out.push(`<text x="18" y="${yMid}" text-anchor="middle" transform="rotate(-90 18 ${yMid})">${escape(panel.yLabel)}</text>`);
    if (panel.legend !== false) out.push(legend(panel.series, { left: MARGIN.left, right: MARGIN.left + plotWidth, top, bottom }, drawn));
  });
  out.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${height - 12}" text-anchor="middle">${escape(spec.xLabel)}</text>`);
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}

/** Draws a decimated line; its screen points are appended to `drawn` (x, y pairs) for placing the legend. */
function line(series: LineSeries, sx: (x: number) => number, sy: (y: number) => number, x0: number, x1: number, plotWidth: number, clip: string, drawn: number[]): string {
  const points = decimateMinMax(series.x, series.y, x0, x1, plotWidth);
  const parts: string[] = [];
  let pen = false;
  for (let i = 0; i < points.x.length; i++) {
    if (Number.isNaN(points.y[i])) {
      pen = false;
      continue;
    }
    const px = sx(points.x[i]);
    const py = sy(points.y[i]);
    drawn.push(px, py);
    parts.push(`${pen ? "L" : "M"}${f(px)} ${f(py)}`);
    pen = true;
  }
  const dashAttr = series.dash ? ` stroke-dasharray="${series.dash}"` : "";
  let svg = `<path clip-path="url(#${clip})" d="${parts.join("")}" fill="none" stroke="${series.colour}" stroke-width="1.4" stroke-linejoin="round"${dashAttr}/>`;
  if (series.markers) {
    for (let i = 0; i < series.x.length; i++) {
      if (!Number.isFinite(series.x[i]) || !Number.isFinite(series.y[i])) continue;
      svg += `<circle cx="${f(sx(series.x[i]))}" cy="${f(sy(series.y[i]))}" r="3" fill="#ffffff" stroke="${series.colour}" stroke-width="1.4"/>`;
    }
  }
  return svg;
}

function bars(series: BarSeries, sx: (x: number) => number, sy: (y: number) => number, xSpan: number, plotWidth: number, clip: string, drawn: number[]): string {
  const width = Math.max(2, (0.6 * plotWidth) / Math.max(1, xSpan));
  const parts: string[] = [];
  for (let i = 0; i < series.x.length; i++) {
    const y = series.y[i];
    if (!Number.isFinite(y)) continue;
    const yTop = Math.min(sy(y), sy(0));
    const h = Math.abs(sy(y) - sy(0));
    for (let k = 0; k <= 8; k++) drawn.push(sx(series.x[i]) - width / 2 + (k * width) / 8, yTop, sx(series.x[i]), yTop + (k * h) / 8);
    parts.push(`<rect x="${f(sx(series.x[i]) - width / 2)}" y="${f(yTop)}" width="${f(width)}" height="${f(h)}" fill="${series.colour}" stroke="#000000" stroke-width="0.6"/>`);
  }
  return `<g clip-path="url(#${clip})">${parts.join("")}</g>`;
}

/** The legend box in whichever corner of the panel covers the fewest drawn points. */
function legend(series: readonly Series[], area: { left: number; right: number; top: number; bottom: number }, drawn: readonly number[]): string {
  if (series.length === 0) return "";
  const rowHeight = 17;
  const textWidth = Math.max(...series.map((s) => s.label.length)) * FONT_PX * 0.6;
  const boxWidth = 30 + textWidth + 14;
  const boxHeight = series.length * rowHeight + 6;
  const inset = 8;
  const corners = [
    { left: area.right - inset - boxWidth, top: area.top + inset },
    { left: area.left + inset, top: area.top + inset },
    { left: area.right - inset - boxWidth, top: area.bottom - inset - boxHeight },
    { left: area.left + inset, top: area.bottom - inset - boxHeight },
  ];
  const covered = corners.map((c) => {
    let count = 0;
    for (let i = 0; i < drawn.length; i += 2) {
      if (drawn[i] >= c.left && drawn[i] <= c.left + boxWidth && drawn[i + 1] >= c.top && drawn[i + 1] <= c.top + boxHeight) count++;
    }
    return count;
  });
  const { left, top } = corners[covered.indexOf(Math.min(...covered))];
  const out = [`<rect x="${f(left)}" y="${f(top)}" width="${f(boxWidth)}" height="${boxHeight}" fill="#ffffff" fill-opacity="0.9" stroke="#888888" stroke-width="0.6"/>`];
  series.forEach((s, k) => {
    const y = top + 3 + rowHeight * k + rowHeight / 2;
    if (s.kind === "bar") out.push(`<rect x="${f(left + 8)}" y="${f(y - 5)}" width="18" height="10" fill="${s.colour}" stroke="#000" stroke-width="0.6"/>`);
    else {
      const dashAttr = s.dash ? ` stroke-dasharray="${s.dash}"` : "";
      out.push(`<line x1="${f(left + 6)}" x2="${f(left + 28)}" y1="${f(y)}" y2="${f(y)}" stroke="${s.colour}" stroke-width="1.8"${dashAttr}/>`);
    }
    out.push(`<text x="${f(left + 34)}" y="${f(y)}" dominant-baseline="central">${escape(s.label)}</text>`);
  });
  return out.join("");
}

function extent(arrays: ArrayLike<number>[], pad: number): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (!Number.isFinite(min)) return { min: 0, max: 1 };
  return { min: min - pad, max: max + pad };
}

/** Whole-number ticks (cycle numbers) inside [min, max], which stays the axis range. */
function integerTicks(min: number, max: number): { ticks: number[]; step: number; min: number; max: number } {
  const step = Math.max(1, niceTicks(min, max, 8).step);
  const ticks: number[] = [];
  for (let t = Math.max(1, Math.ceil(min / step) * step); t <= max; t += step) ticks.push(t);
  return { ticks, step, min, max };
}

/** A title cut with an ellipsis where it would run past the figure (bold glyphs average about 0.65 em). */
function fitTitle(title: string, width: number): string {
  const fits = Math.floor((width - 20) / ((FONT_PX + 1) * 0.65));
  return title.length <= fits ? title : `${title.slice(0, fits - 1)}…`;
}

function f(value: number): string {
  return value.toFixed(2);
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
