import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { build } from "../../cli/commands/build.ts";
import { UsageError } from "../../cli/command.ts";

describe("cellrig build", () => {
  const outDir = mkdtempSync(join(tmpdir(), "cellrig-build-command-"));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it("builds one board with the default rig and prints path, size and hash", async () => {
    const out = join(outDir, "pico.js");
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      expect(await build.run(["--board", "pico", "--out", out])).toBe(0);
      const code = readFileSync(out, "utf8");
      const [line] = log.mock.calls.map((args) => String(args[0]));
      const match = /^(\S+)  (\d+) bytes  hash ([0-9a-f]{12})$/.exec(line!);
      expect(match).not.toBeNull();
      expect(Number(match![2])).toBe(Buffer.byteLength(code));
      expect(code).toContain(match![3]);
      expect(code).toContain('"pico"');
    } finally {
      log.mockRestore();
    }
  });

  it("names the available boards when the board is unknown", async () => {
    await expect(build.run(["--board", "no-such-board"])).rejects.toThrow(/board "no-such-board" is not known \(available: .*pico/);
  });

  it("asks for a board, and refuses --all together with one-board options", async () => {
    await expect(build.run([])).rejects.toThrow(UsageError);
    await expect(build.run([])).rejects.toThrow(/--board <id> \(one of: .*pico.*\) or build them all with --all/);
    await expect(build.run(["--all", "--out", "x.js"])).rejects.toThrow(UsageError);
  });

  it("refuses a rig configuration written for another board", async () => {
    const rig = JSON.parse(readFileSync(new URL("../../rigs/default.json", import.meta.url), "utf8")) as { board: string };
    const other = rig.board === "pico" ? "esp32" : "pico";
    await expect(build.run(["--board", other, "--config", "rigs/default.json", "--out", join(outDir, "other.js")])).rejects.toThrow(
      `does not match the board being built (${other})`,
    );
  });
});
