import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startEmbeddedBroker } from "../../host/broker/embedded.ts";
import { startBridge } from "../../host/bridge/bridge.ts";
import { DuckDbStore } from "../../host/store/duckdb-store.ts";
import { startWebServer } from "../../host/web/server.ts";
import type { Birth } from "../../protocol/schema/birth.ts";
import type { Data } from "../../protocol/schema/data.ts";
import type { Benchmark } from "./figure.ts";

const CHROMIUM = process.env.CELLRIG_CHROMIUM ?? "/usr/bin/chromium";
const WEEK_s = 7 * 86400;
const RATE_hz = 10;
const FRAME_s = 3600;
const START_us = 1_800_000_000_000_000;
const LOADS = 3;

/** A cell cycled at C/2 between 3.0 and 4.2 V with 30 min rests, a slowly rising pressure and a daily temperature swing. */
const CHANNELS = [
  { id: "v1", quantity: "voltage_volt", unit: "V", sensor: "ina226", value: (t_s: number) => 3.0 + 1.2 * triangle(t_s / (5 * 3600)) },
  { id: "i1", quantity: "current_ampere", unit: "A", sensor: "ina226", value: (t_s: number) => (triangle(t_s / (5 * 3600)) > 0.98 ? 0 : Math.sign(Math.sin((2 * Math.PI * t_s) / (5 * 3600))) * 0.01) },
  { id: "p1", quantity: "cell_pressure_pa", unit: "Pa", sensor: "ads1115", value: (t_s: number) => 101_325 + 0.01 * t_s + 50 * Math.sin(t_s / 977) },
  { id: "t1", quantity: "surface_temperature_celsius", unit: "degC", sensor: "max31865", value: (t_s: number) => 25 + 2 * Math.sin((2 * Math.PI * t_s) / 86400) },
];

function triangle(cycles: number): number {
  const phase = cycles - Math.floor(cycles);
  return phase < 0.5 ? 2 * phase : 2 - 2 * phase;
}

function birth(): Birth {
  return {
    v: 1,
    board: "bench-1",
    boot: 1,
    rig: "bench",
    profile: "linux",
    seq: 0,
    t: START_us,
    tick_us: 1e6 / RATE_hz,
    fw: { version: "bench", build: "00000000" },
    clock: { source: "ntp", offset_us: 0 },
    channels: CHANNELS.map((c, k) => ({ id: c.id, quantity: c.quantity, unit: c.unit, sensor: c.sensor, rate_hz: RATE_hz, every: 1, raw: "i32", cal: { kind: "linear", gain: 1, offset: 0 }, cfg: k + 1 })),
  } as Birth;
}

/**
 * `web.first_render_ms`: the cell view of one board holding a week at 10 Hz (6,048,000 samples in
 * each of its four channels), opened in headless Chromium: time from navigation start to the first
 * plot painted with data, read in the page (performance.now() at the first plot's frame). The
 * median of three page loads on a warm server, and the first load as `web.first_render_cold_ms`;
 * filling the store is not timed. Target ≤ 1000 ms.
 */
export const webBenchmark: Benchmark = {
  name: "web",
  async run(progress) {
    const dir = mkdtempSync(join(tmpdir(), "cellrig-bench-web-"));
    const broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    const store = new DuckDbStore({ path: join(dir, "week.duckdb") });
    const profile = mkdtempSync(join(tmpdir(), "cellrig-bench-chromium-"));
    try {
      await store.open();
      await store.writeBirth("bench", "bench-1", birth());
      const perFrame = FRAME_s * RATE_hz;
      const frames = WEEK_s / FRAME_s;
      progress(`filling a store with a week at ${RATE_hz} Hz: ${CHANNELS.length} channels × ${(perFrame * frames).toLocaleString("en")} samples`);
      for (let f = 0; f < frames; f++) {
        const t_us = new Float64Array(perFrame);
        for (let k = 0; k < perFrame; k++) t_us[k] = START_us + (f * perFrame + k) * (1e6 / RATE_hz);
        const samples = CHANNELS.map((c) => {
          const value = t_us.map((t) => c.value((t - START_us) / 1e6));
          return { channel: c.id, t_us, raw: value, value };
        });
        const frame = { v: 1, b: 1, s: f, t: t_us[0]!, p: 1e6 / RATE_hz, c: [] } as unknown as Data;
        await store.writeFrame("bench", "bench-1", frame, samples);
      }
      await store.flush();
      const bridge = await startBridge({ brokerUrl: broker.url, store, mqttVersion: 4, clientId: "cellrig-bench-web" });
      const web = await startWebServer({ host: "127.0.0.1", port: 0, bridge, store });
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1280, height: 900 },
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      });
      const times_ms: number[] = [];
      let cold_ms = NaN;
      try {
        for (let i = 0; i <= LOADS; i++) {
          const page = await context.newPage();
          await page.goto(`${web.url}/#cell/bench-1`);
          await page.waitForFunction(() => (window as any).cellrig?.cell.firstPlot_ms !== undefined, undefined, { timeout: 60_000 });
          const ms = (await page.evaluate(() => (window as any).cellrig.cell.firstPlot_ms)) as number;
          // The first load warms the database's caches and the server's file reads; it is not counted.
          if (i > 0) times_ms.push(ms);
          else cold_ms = ms;
          progress(`load ${i}: first plot after ${ms.toFixed(0)} ms${i === 0 ? " (warm-up)" : ""}`);
          // The other plots' reads queue in the store behind the first; the next load starts after them.
          await page.waitForFunction(() => [...(window as any).cellrig.cell.plots.values()].every((p: any) => p.history !== undefined), undefined, { timeout: 60_000 });
          await page.close();
        }
      } finally {
        await context.close();
        await web.close();
        await bridge.stop();
      }
      times_ms.sort((a, b) => a - b);
      return [
        {
          name: "web.first_render_ms",
          value: times_ms[times_ms.length >> 1]!,
          unit: "ms",
          note: `cell view of a week at ${RATE_hz} Hz (${(WEEK_s * RATE_hz).toLocaleString("en")} samples per channel, ${CHANNELS.length} channels), headless Chromium, navigation to first plot with data, median of ${LOADS}; target ≤ 1000`,
        },
        {
          name: "web.first_render_cold_ms",
          value: cold_ms,
          unit: "ms",
          note: "the same, first load after the server started: newest samples and database pages not yet cached",
        },
      ];
    } finally {
      await store.close();
      await broker.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
