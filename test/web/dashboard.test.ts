import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lsb_V } from "../../boards/chips/ads1115.ts";
import { buildFirmware } from "../../scripts/build/bundle.ts";
import { startPresetRig, type PresetRig } from "../../sim/preset-rig.ts";
import { VirtualClock, type RealtimeHandle } from "../../sim/runtime/clock.ts";
import { chromiumMissing, launchBrowser, type Browser } from "./support/browser.ts";
import { rigFor, startWebStack, until, type WebStack } from "./support/stack.ts";

// The live dashboard in headless Chromium against the whole path: two boards running the compiled
// bundle of the graphite-nmc-gas rig on a virtual clock at real time, the embedded broker, the
// bridge with DuckDB, and the web server, all on loopback.

const missing = chromiumMissing();
if (missing !== undefined) console.warn(`test/web/dashboard.test.ts skipped: ${missing}`);

const SCREENSHOTS = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
const P1_HIGH_Pa = 150_000;
/** p1's calibration is value = 6.25·code − 25000 Pa; 3.9 V on AIN0 reads 170 kPa, past the alarm. */
const PAST_THRESHOLD_V = ((170_000 + 25_000) / 6.25) * lsb_V(4.096);

interface PlotState {
  from_us: number;
  to_us: number;
  buckets: number;
  history: { t_us: number[]; min: number[]; max: number[]; count: number[] };
  data: number[][];
}

describe.skipIf(missing !== undefined)("dashboard in a browser", () => {
  let stack: WebStack;
  let rig: PresetRig;
  let realtime: RealtimeHandle;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startWebStack();
    const { board, config } = rigFor("graphite-nmc-gas", stack.broker, {
      health_s: 5,
      alarms: [{ name: "p1_high", channel: "p1", kind: "high", threshold: P1_HIGH_Pa, hysteresis: 1000, hold_s: 0 }],
    });
    const bundle = await buildFirmware({ board, config });
    const clock = new VirtualClock(Date.now() / 1000);
    rig = startPresetRig({ code: bundle.code, board, config, preset: "graphite-nmc-gas", boards: 2, clock, serialPrefix: "cell-" });
    realtime = clock.runRealtime({ speed: 1 });
    await until("both boards online with health and 5 s of samples", () => {
      const registry = stack.bridge.registry();
      return registry.length === 2 && registry.every((b) => b.online && b.health !== undefined && b.frames.received >= 5);
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    realtime?.stop();
    rig?.close();
    await stack?.close();
  });

  it("the lab view lists the simulated boards with their state, firmware, health and clock", async () => {
    const { page } = browser;
    await page.goto(`${stack.web.url}/#lab`);
    const rows = page.locator("#lab tbody tr");
    await until("two board rows", async () => (await rows.count()) === 2, 10_000);
    const registry = stack.bridge.registry();
    for (const status of registry) {
      const row = page.locator(`#lab tr[data-board="${status.board}"]`);
      const text = await row.innerText();
      expect(text).toContain("online");
      expect(text).toContain(`${status.firmware.version} (${status.firmware.build})`);
      expect(text).toMatch(/\d+ \/ \d+ JsVars \(\d+ %\)/);
      expect(text).toMatch(/\d+ \/ \d+ bytes/);
      expect(text).toMatch(/ms, -?[\d.e+-]+ ppm/);
    }
    expect(await page.locator("#lab h3").innerText()).toBe("Rig graphite-nmc-gas — 2 of 2 boards online");
    await page.screenshot({ path: `${SCREENSHOTS}lab.png`, fullPage: true });
  });

  it("a channel plot shows min and max of the stored samples in each of its time buckets", async () => {
    const { page } = browser;
    await page.goto(`${stack.web.url}/#cell/cell-1`);
    await page.waitForFunction(() => (window as any).cellrig?.cell.firstPlot_ms !== undefined, undefined, { timeout: 10_000 });
    // Stop following live so the plot holds exactly one answer of the store, then read it back.
    const plots = (await page.evaluate(async () => {
      const cell = (window as any).cellrig.cell;
      cell.follow = false;
      await cell.load();
      const out: Record<string, unknown> = {};
      for (const [id, plot] of cell.plots) out[id] = { ...cell.range, buckets: plot.history.buckets, history: plot.history, data: plot.u.data.map((a: ArrayLike<number>) => Array.from(a)) };
      return out;
    })) as Record<string, PlotState>;
    expect(Object.keys(plots).sort()).toEqual(["i1", "p1", "p2", "s1", "t1", "t2", "v1", "w1"]);
    for (const channel of ["p1", "v1"]) {
      const plot = plots[channel]!;
      const from_us = Math.floor(plot.from_us);
      const to_us = Math.ceil(plot.to_us);
      const stored = await stack.store.samples({ board: "cell-1", channel, from_us, to_us, limit: 100_000 });
      expect(stored.length).toBeGreaterThan(20);
      const width_us = Math.max(1, Math.ceil((to_us - from_us) / plot.buckets));
      const buckets = new Map<number, { min: number; max: number; count: number }>();
      for (const s of stored) {
        const k = Math.floor((s.t_us - from_us) / width_us);
        const b = buckets.get(k) ?? { min: Infinity, max: -Infinity, count: 0 };
        buckets.set(k, { min: Math.min(b.min, s.value), max: Math.max(b.max, s.value), count: b.count + 1 });
      }
      const shown = plot.history.t_us.map((t, i) => ({ k: Math.round((t - from_us) / width_us), min: plot.data[1]![i]!, max: plot.data[2]![i]!, count: plot.history.count[i]! }));
      expect(shown.length).toBe(buckets.size);
      for (const b of shown) expect({ k: b.k, ...buckets.get(b.k) }).toEqual(b);
      // Plotted times sit inside their buckets.
      plot.data[0]!.forEach((x_s, i) => {
        expect(x_s * 1e6).toBeGreaterThanOrEqual(plot.history.t_us[i]!);
        expect(x_s * 1e6).toBeLessThan(plot.history.t_us[i]! + width_us);
      });
    }
  });

  it("an alarm raised in the simulator shows in the page within 2 s and is acknowledged by a user", async () => {
    const { page } = browser;
    await page.goto(`${stack.web.url}/#alarms`);
    await page.fill("#alarm-user", "Dana");
    await page.locator("#alarm-user").dispatchEvent("change");
    await page.waitForSelector("#alarms-active p");
    const twin = rig.twin(0, "p1");
    twin.setInput(0, () => PAST_THRESHOLD_V);
    const item = page.locator('#alarm-banner li[data-alarm="cell-1/p1/p1_high"]');
    await item.waitFor({ state: "visible", timeout: 2000 });
    expect(await item.innerText()).toMatch(/cell-1 p1: p1_high raised at .* value 1[67]\d{4} Pa, threshold 150000 Pa/);
    await page.locator("#alarm-history tbody tr").first().waitFor({ timeout: 5000 });
    await page.screenshot({ path: `${SCREENSHOTS}alarms.png`, fullPage: true });
    await item.getByRole("button", { name: "Acknowledge p1_high on cell-1" }).click();
    await page.locator('#alarm-banner li.acknowledged[data-alarm="cell-1/p1/p1_high"]').waitFor({ timeout: 5000 });
    expect(await item.innerText()).toContain("acknowledged by Dana");
    const active = stack.bridge.registry().find((b) => b.board === "cell-1")!.alarms;
    expect(active.map((a) => [a.key, a.acknowledged_by])).toEqual([["p1/p1_high", "Dana"]]);
    await page.locator("#alarm-history tbody tr td:has-text('Dana')").waitFor({ timeout: 5000 });
    expect(await page.locator("#alarm-history").innerText()).toMatch(/cell-1\tp1\tp1_high\traised\t1[67]\d{4} Pa\t150000 Pa\tDana, /);
  });

  it("a threshold change from the command form round-trips to the board's ack", async () => {
    const { page } = browser;
    await page.goto(`${stack.web.url}/#cell/cell-2`);
    await page.waitForFunction(() => (window as any).cellrig?.cell.board === "cell-2");
    await page.selectOption("#command-op", "set_threshold");
    await page.selectOption("#command-channel", "p1");
    await page.fill("#command-rule", "p1_high");
    await page.fill("#command-threshold", "160000");
    await page.click("#command-form button[type=submit]");
    const result = page.locator("#command-result.ok");
    await result.waitFor({ timeout: 15_000 });
    expect(await result.innerText()).toMatch(/^Board cell-2 acknowledged set_threshold \(id \d+\): ok, round trip [\d.]+ ms; p1_high on p1 is now 160000 Pa$/);
    expect(await result.getAttribute("data-ack-code")).toBe("ok");

    // A rule the board does not have comes back as the board's refusal, named.
    await page.fill("#command-rule", "no_such_rule");
    await page.click("#command-form button[type=submit]");
    const refused = page.locator("#command-result.failed");
    await refused.waitFor({ timeout: 15_000 });
    expect(await refused.getAttribute("data-ack-code")).not.toBe("ok");
    expect(await refused.innerText()).toMatch(/^Board cell-2 acknowledged set_threshold \(id \d+\): [a-z_]+ — .*no_such_rule/);
  });
});
