import uPlot from "/vendor/uPlot.esm.js";
import { get } from "./api.js";
import { duration, el, number, utc } from "./format.js";

const PLOT_HEIGHT_px = 170;
const WEEK_us = 7 * 86400e6;
/** While following live, the plots are re-read from the store this often to replace appended points by proper buckets. */
const RELOAD_ms = 30_000;
const COLOURS = ["#0550ae", "#bc4c00", "#116329", "#8250df", "#a40e26", "#1b7c83", "#6e7781", "#953800"];

const pad = (n) => String(n).padStart(2, "0");

/** UTC tick labels, 24-hour: seconds on short spans, the date on long ones. */
function timeLabels(ticks) {
  const step_s = ticks.length > 1 ? ticks[1] - ticks[0] : 60;
  return ticks.map((t) => {
    const d = new Date(t * 1000);
    const hm = pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
    if (step_s < 60) return hm + ":" + pad(d.getUTCSeconds());
    if (step_s >= 43200) return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate());
    if (step_s >= 3600 && d.getUTCHours() === 0 && d.getUTCMinutes() === 0) return pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate());
    return hm;
  });
}

/**
 * The cell view: one plot per channel of a board, in the channel's unit, all on one time axis
 * (zoom or pan one and all follow). Each plot shows the min/max envelope of time buckets about a
 * pixel wide, read from the store's decimated history, so a week of 10 Hz data draws as fast as a
 * minute; zoomed in far enough, each bucket holds one sample and the envelope is the samples.
 */
export class CellView {
  constructor(root) {
    this.root = root;
    this.plots = new Map();
    this.board = undefined;
    this.channels = [];
    this.cycles = [];
    this.range = undefined;
    this.extent = undefined;
    this.follow = true;
    this.loading = 0;
    this.lastReload_ms = 0;
    this.firstPlot_ms = undefined;
  }

  /** Opens `board` (with its channels from /api/boards) over the default range: the last week of its run. */
  async open(board, channels, range) {
    this.board = board;
    this.channels = channels;
    this.cycles = [];
    this.buildPlots();
    const firstTimes = await Promise.all(channels.map((c) => get("samples", { board, channel: c.id, limit: 1 }).then((s) => s.t_us[0])));
    const first_us = Math.min(...firstTimes.filter((t) => t !== undefined));
    const last_us = Math.max(...channels.map((c) => (c.latest ? c.latest.t_us : -Infinity)));
    if (!Number.isFinite(first_us) || !Number.isFinite(last_us)) {
      this.root.plots.replaceChildren(el("p", "No samples stored for " + board + " yet."));
      return;
    }
    this.extent = { from_us: first_us, to_us: last_us + 1 };
    this.range = range ?? { from_us: Math.max(first_us, last_us + 1 - WEEK_us), to_us: last_us + 1 };
    await this.load();
    this.loadCycles();
  }

  buildPlots() {
    for (const plot of this.plots.values()) plot.u.destroy();
    this.plots.clear();
    this.root.plots.replaceChildren();
    const width = Math.max(480, this.root.plots.clientWidth || 960);
    this.channels.forEach((channel, k) => {
      const box = el("div", undefined, "plot");
      box.id = "plot-" + channel.id;
      box.append(el("h4", channel.id + " — " + channel.quantity + " (" + channel.unit + "), " + channel.rate_hz + " Hz, " + channel.sensor));
      this.root.plots.append(box);
      const colour = COLOURS[k % COLOURS.length];
      const fmt = (u, v) => (v === null || v === undefined ? "–" : number(v, 6) + " " + channel.unit);
      const u = new uPlot(
        {
          width,
          height: PLOT_HEIGHT_px,
          cursor: { sync: { key: "cellrig-cell", setSeries: false }, drag: { x: true, y: false, setScale: false } },
          scales: { x: { time: true } },
          series: [
            { label: "time", value: (u, v) => (v === null || v === undefined ? "–" : new Date(v * 1000).toISOString().replace("T", " ").replace("Z", " UTC")) },
            { label: "min", stroke: colour, width: 1, value: fmt },
            { label: "max", stroke: colour, width: 1, value: fmt },
          ],
          bands: [{ series: [2, 1], fill: colour + "33" }],
          axes: [{ values: (u, ticks) => timeLabels(ticks) }, { label: channel.unit, size: 70, values: (u, ticks) => ticks.map((t) => number(t, 5)) }],
          hooks: {
            setSelect: [(u) => this.onSelect(u)],
            draw: [(u) => this.drawCycles(u)],
          },
        },
        [[], [], []],
        box,
      );
      u.over.addEventListener("wheel", (e) => this.onWheel(u, e), { passive: false });
      u.over.addEventListener("mousedown", (e) => this.onPanStart(u, e), { capture: true });
      this.plots.set(channel.id, { u, channel, history: undefined });
    });
  }

  /** Reads every channel's buckets for the current range and redraws. */
  async load() {
    const range = this.range;
    const ticket = ++this.loading;
    this.showRange();
    await Promise.all(
      [...this.plots.values()].map(async (plot) => {
        const buckets = Math.max(10, Math.round(plot.u.bbox.width / devicePixelRatio));
        const history = await get("history", { board: this.board, channel: plot.channel.id, from_us: Math.floor(range.from_us), to_us: Math.ceil(range.to_us), buckets });
        if (ticket !== this.loading) return;
        plot.history = history;
        this.draw(plot, range);
      }),
    );
    this.lastReload_ms = Date.now();
  }

  draw(plot, range) {
    const h = plot.history;
    // The store's bucket width: [from_us + k·width_us, from_us + (k+1)·width_us).
    const width_s = Math.max(1, Math.ceil((h.to_us - h.from_us) / h.buckets)) / 1e6;
    const x = h.t_us.map((t) => t / 1e6 + width_s / 2);
    plot.u.batch(() => {
      plot.u.setData([x, h.min.slice(), h.max.slice()], false);
      plot.u.setScale("x", { min: range.from_us / 1e6, max: range.to_us / 1e6 });
    });
    if (this.firstPlot_ms === undefined && h.t_us.length > 0) {
      // Measured from navigation start, after the browser has painted the plot.
      requestAnimationFrame(() => {
        if (this.firstPlot_ms !== undefined) return;
        this.firstPlot_ms = performance.now();
        performance.mark("cellrig:first-plot");
      });
    }
  }

  setRange(from_us, to_us) {
    const span = Math.max(1e6, to_us - from_us);
    this.range = { from_us, to_us: from_us + span };
    this.load();
  }

  showRange() {
    const r = this.range;
    this.root.range.textContent = utc(r.from_us / 1000) + " to " + utc(r.to_us / 1000) + " (" + duration((r.to_us - r.from_us) / 1e6) + ")";
  }

  /** Range buttons: the last `seconds` of the run, or all of it. */
  preset(seconds) {
    if (!this.extent) return;
    const to_us = this.extent.to_us;
    const from_us = seconds === "all" ? this.extent.from_us : to_us - Number(seconds) * 1e6;
    this.setRange(from_us, to_us);
  }

  pan(fraction) {
    const span = this.range.to_us - this.range.from_us;
    this.root.follow.checked = this.follow = fraction > 0 && this.range.to_us + fraction * span >= this.extent.to_us;
    this.setRange(this.range.from_us + fraction * span, this.range.to_us + fraction * span);
  }

  zoom(factor, centre_us = (this.range.from_us + this.range.to_us) / 2) {
    const r = this.range;
    this.setRange(centre_us - (centre_us - r.from_us) * factor, centre_us + (r.to_us - centre_us) * factor);
  }

  onSelect(u) {
    if (u.select.width < 3) return;
    const from_s = u.posToVal(u.select.left, "x");
    const to_s = u.posToVal(u.select.left + u.select.width, "x");
    u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
    this.root.follow.checked = this.follow = false;
    this.setRange(from_s * 1e6, to_s * 1e6);
  }

  onWheel(u, event) {
    event.preventDefault();
    const centre_us = u.posToVal(event.offsetX, "x") * 1e6;
    this.root.follow.checked = this.follow = false;
    this.zoom(event.deltaY > 0 ? 1.25 : 0.8, centre_us);
  }

  onPanStart(u, event) {
    if (!event.shiftKey) return;
    event.stopPropagation();
    event.preventDefault();
    const start = event.clientX;
    const r = this.range;
    const us_per_px = (r.to_us - r.from_us) / u.bbox.width * devicePixelRatio;
    const up = (e) => {
      window.removeEventListener("mouseup", up);
      const shift_us = (start - e.clientX) * us_per_px;
      this.root.follow.checked = this.follow = false;
      this.setRange(r.from_us + shift_us, r.to_us + shift_us);
    };
    window.addEventListener("mouseup", up);
  }

  /** Live samples of the open board: appended while following, the window sliding with them. */
  onSamples(event) {
    if (event.board !== this.board || !this.range) return;
    let newest_us = this.extent.to_us;
    for (const c of event.channels) if (c.t_us.length) newest_us = Math.max(newest_us, c.t_us[c.t_us.length - 1] + 1);
    this.extent.to_us = newest_us;
    if (!this.follow) return;
    const span = this.range.to_us - this.range.from_us;
    if (Date.now() - this.lastReload_ms > RELOAD_ms) {
      this.setRange(newest_us - span, newest_us);
      return;
    }
    this.range = { from_us: Math.max(this.range.from_us, newest_us - span), to_us: Math.max(this.range.to_us, newest_us) };
    for (const c of event.channels) {
      const plot = this.plots.get(c.channel);
      if (!plot || !plot.history) continue;
      const [x, min, max] = plot.u.data;
      const xs = Array.from(x), mins = Array.from(min), maxs = Array.from(max);
      c.t_us.forEach((t, i) => {
        if (xs.length && t / 1e6 <= xs[xs.length - 1]) return;
        xs.push(t / 1e6);
        mins.push(c.value[i]);
        maxs.push(c.value[i]);
      });
      plot.u.batch(() => {
        plot.u.setData([xs, mins, maxs], false);
        plot.u.setScale("x", { min: this.range.from_us / 1e6, max: this.range.to_us / 1e6 });
      });
    }
    this.showRange();
  }

  /** Cycle starts from the board's analysis, once the analysis view has computed it. */
  async loadCycles() {
    try {
      const view = await get("analysis", { board: this.board, cached: 1 });
      this.cycles = view.cycles;
      for (const plot of this.plots.values()) plot.u.redraw(false);
    } catch {
      this.cycles = [];
    }
  }

  drawCycles(u) {
    if (this.cycles.length === 0) return;
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    ctx.save();
    ctx.strokeStyle = "#6e7781";
    ctx.fillStyle = "#57606a";
    ctx.setLineDash([5, 4]);
    ctx.font = 11 * devicePixelRatio + "px system-ui, sans-serif";
    for (const cycle of this.cycles) {
      const t_s = cycle.start_us / 1e6;
      if (t_s < u.scales.x.min || t_s > u.scales.x.max) continue;
      const x = Math.round(u.valToPos(t_s, "x", true));
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.fillText("cycle " + cycle.number, x + 3, top + 12 * devicePixelRatio);
    }
    ctx.restore();
  }
}
