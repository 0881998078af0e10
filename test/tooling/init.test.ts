import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBoardProfile } from "../../boards/profile.ts";
import { loadRigConfig } from "../../boards/rig-config.ts";
import { rigPresets, rigTemplate } from "../../host/tooling/rig-template.ts";
import { cellrig as runCellrig } from "../support/cli.ts";

const RIGS = new URL("../../rigs", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "cellrig-init-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cellrig = (args: string[]) => runCellrig(args, { cwd: dir, timeout_ms: 60_000 });

describe("cellrig init", () => {
  it("every preset on every board it fits gives a file that loads as it is, with notes on each part", () => {
    for (const preset of rigPresets(RIGS)) {
      for (const id of ["linux", "espruino-wifi", "pico"]) {
        const board = loadBoardProfile(id);
        const { text } = rigTemplate({ rigsDir: RIGS, preset, board, broker: { host: "broker.lab", port: 1884 } });
        const file = join(dir, `${preset}-${id}.json`);
        writeFileSync(file, text);
        const config = loadRigConfig(file, board);
        expect(config.board).toBe(id);
        expect(config.broker).toMatchObject({ host: "broker.lab", port: 1884 });
        const raw = JSON.parse(text);
        expect(typeof raw.$comment).toBe("string");
        expect(typeof raw.broker.$comment).toBe("string");
        for (const ch of raw.channels) expect(ch.$comment.length).toBeGreaterThan(40);
        expect(raw.wifi === undefined).toBe(board.transport !== "wifi");
        // Presets are written for linux pins; chip selects land on distinct pins this board can drive.
        const cs = config.channels.flatMap((ch) => (ch.sensor === "max31865" ? [ch.cs] : []));
        for (const pin of cs) expect(board.gpio).toContain(pin);
        expect(new Set(cs).size).toBe(cs.length);
      }
    }
  });

  it("writes rig.json, keeps an existing file, and names the presets when one is unknown", { timeout: 60_000 }, async () => {
    const first = await cellrig(["init", "--preset", "solid-state-stack", "--board", "pico", "--broker", "mqtt://10.0.0.5:1885"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('wrote rig.json: rig "solid-state-stack" for board pico, 4 channels (f1 ads1115, t1 max31865, v1 ina226, i1 ina226), broker 10.0.0.5:1885');
    expect(loadRigConfig(join(dir, "rig.json"), loadBoardProfile("pico")).channels).toHaveLength(4);
    const before = readFileSync(join(dir, "rig.json"), "utf8");

    const again = await cellrig(["init"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("rig.json already exists: choose another --out, or --force to replace it");
    expect(readFileSync(join(dir, "rig.json"), "utf8")).toBe(before);

    const unknown = await cellrig(["init", "--preset", "graphite", "--out", "x.json"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--preset "graphite" does not exist: choose one of default, graphite-nmc-gas, hard-carbon-stress, solid-state-stack');
  });
});
