import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// `npm start` as a user runs it: the whole main job in one process, stopped with Ctrl-C.

interface BoardView {
  board: string;
  online: boolean;
  channels: { id: string; latest: { t_us: number; value: number } | null }[];
}

describe("cellrig start", () => {
  it("serves live values from four simulated boards within 30 s and stops cleanly on SIGINT", async () => {
    const data = mkdtempSync(join(tmpdir(), "cellrig-start-"));
    const child = spawn(process.execPath, ["bin/cellrig.js", "start", "--http-port", "0", "--broker-port", "0", "--data", data], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const started = Date.now();
    try {
      let url: string | undefined;
      let boards: BoardView[] = [];
      while (Date.now() - started < 30_000) {
        url ??= /dashboard\s+(http:\/\/\S+)/.exec(out)?.[1];
        if (url) {
          boards = (await (await fetch(`${url}/api/boards`)).json()) as BoardView[];
          if (boards.length === 4 && boards.every((b) => b.channels.every((c) => c.latest != null))) break;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(out).toMatch(/broker\s+mqtt:\/\/127\.0\.0\.1:\d+ \(embedded\)/);
      expect(boards.map((b) => b.board).sort()).toEqual(["sim-1", "sim-2", "sim-3", "sim-4"]);
      for (const b of boards) {
        expect(b.online).toBe(true);
        // The demo cells are filled near 1 atm and swing with a ±1 K temperature: 0.9 to 1.3 bar.
        expect(b.channels[0]!.latest!.value).toBeGreaterThan(90_000);
        expect(b.channels[0]!.latest!.value).toBeLessThan(130_000);
      }
      expect(Date.now() - started).toBeLessThan(30_000);
      const page = await (await fetch(url!)).text();
      expect(page).toContain("cellrig live");
    } finally {
      child.kill("SIGINT");
      const code = await exited;
      rmSync(data, { recursive: true, force: true });
      expect(code, out).toBe(0);
      expect(out).toContain("stopped.");
    }
  });
});
