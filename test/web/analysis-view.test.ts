import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rigFromGroundTruthMeta, type RigDescription } from "../../host/analysis/rig-description.ts";
import type { CellAnalysisView } from "../../host/web/cell-analysis.ts";
import { runSimulation } from "../../sim/run.ts";
import { chromiumMissing, launchBrowser, type Browser } from "./support/browser.ts";
import { startWebStack, until, type WebStack } from "./support/stack.ts";

// Five simulated hours of the graphite-nmc-gas cell cycled at 2C (about 65 min a cycle), run at
// full speed through the broker and bridge into DuckDB, then the analysis and cell views of it.

const missing = chromiumMissing();
if (missing !== undefined) console.warn(`test/web/analysis-view.test.ts skipped: ${missing}`);

const SCREENSHOTS = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
const DURATION_s = 5 * 3600;
const FAST_PROTOCOL = {
  Protocol: {
    "Number of cycles [1]": 10,
    Steps: [
      { "C-rate [1/h]": 2, "Upper voltage cut-off [V]": 4.2 },
      { "Rest [s]": 300 },
      { "C-rate [1/h]": -2, "Lower voltage cut-off [V]": 3.0 },
      { "Rest [s]": 300 },
    ],
  },
};

describe.skipIf(missing !== undefined)("analysis and cell views of a cycled cell", () => {
  let stack: WebStack;
  let browser: Browser;
  const descriptions = new Map<string, RigDescription>();

  beforeAll(async () => {
    stack = await startWebStack({ describeCell: (board) => descriptions.get(board) });
    const outDir = join(stack.dir, "sim");
    const result = await runSimulation({
      preset: "graphite-nmc-gas",
      boards: 1,
      duration_s: DURATION_s,
      speed: "max",
      broker: { host: "127.0.0.1", port: stack.broker.port },
      outDir,
      presetOverrides: FAST_PROTOCOL as never,
      start_s: Math.floor(Date.now() / 1000) - DURATION_s,
    });
    expect(result.errors[0]).toEqual([]);
    const metaPath = `${result.groundTruth[0]}.json`;
    descriptions.set("sim-1", rigFromGroundTruthMeta(JSON.parse(readFileSync(metaPath, "utf8")), metaPath));
    // runSimulation returns once the boards hold nothing; the bridge then stores the last frames.
    let stored = -1;
    await until("the bridge to store the run's last frames", async () => {
      await new Promise((r) => setTimeout(r, 300));
      await stack.bridge.idle();
      const now = stack.bridge.stats().framesStored;
      const quiet = now === stored;
      stored = now;
      return quiet;
    });
    browser = await launchBrowser({ width: 1280, height: 1000 });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("the analysis view shows the per-cycle table and the report's figures", async () => {
    const { page } = browser;
    await page.goto(`${stack.web.url}/#analysis/sim-1`);
    await page.locator("#cycle-table").waitFor({ timeout: 60_000 });
    const view = (await (await fetch(`${stack.web.url}/api/analysis?board=sim-1`)).json()) as CellAnalysisView;
    expect(view.table.rows.length).toBeGreaterThanOrEqual(4);
    const rows = await page.locator("#cycle-table tbody tr").allInnerTexts();
    expect(rows.length).toBe(view.table.rows.length);
    const capacity = view.table.columns.indexOf("charge_capacity_ampere_hour");
    expect(capacity).toBeGreaterThan(0);
    const firstRow = rows[0]!.split("\t");
    expect(Number(firstRow[capacity])).toBeCloseTo(view.table.rows[0]![capacity]!, 4);
    expect(await page.locator("#cycle-table thead").innerText()).toContain("charge capacity (Ah)");
    for (const figure of ["versus-time", "gas-per-cycle", "dqdv"]) {
      expect(await page.locator(`#figure-${figure} svg`).count()).toBe(1);
    }
    await page.screenshot({ path: `${SCREENSHOTS}analysis.png`, fullPage: true });
  });

  it("the cell view plots every channel over the whole run with a marker at each cycle start", async () => {
    const { page } = browser;
    await page.goto(`${stack.web.url}/#cell/sim-1`);
    await page.waitForFunction(() => (window as any).cellrig?.cell.cycles.length > 0, undefined, { timeout: 60_000 });
    const state = (await page.evaluate(() => {
      const cell = (window as any).cellrig.cell;
      return { range: cell.range, cycles: cell.cycles, points: [...cell.plots.values()].map((p: any) => p.u.data[0].length) };
    })) as { range: { from_us: number; to_us: number }; cycles: { start_us: number }[]; points: number[] };
    expect((state.range.to_us - state.range.from_us) / 1e6).toBeGreaterThan(DURATION_s - 60);
    expect(state.points.every((n) => n > 500)).toBe(true);
    expect(state.cycles.length).toBeGreaterThanOrEqual(4);
    await page.screenshot({ path: `${SCREENSHOTS}cell.png`, fullPage: true });
  });
});
