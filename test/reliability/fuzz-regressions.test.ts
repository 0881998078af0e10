// Inputs the fuzzing campaign (scripts/fuzz) found mishandled, kept so they stay fixed.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jsonPositions } from "../../boards/json-positions.ts";
import { loadBoardProfile } from "../../boards/profile.ts";
import { parseRigConfig } from "../../boards/rig-config.ts";
import { RigConfigError } from "../../boards/rig-errors.ts";
import { readBdfCsv } from "../../host/bdf/read.ts";
import { importBdf } from "../../host/import/import-bdf.ts";
import type { SampleStore } from "../../host/store/store.ts";
import { startWebServer } from "../../host/web/server.ts";
import { birthValidator, type Birth } from "../../protocol/schema/birth.ts";

const defaultRig = readFileSync(new URL("../../rigs/default.json", import.meta.url), "utf8");
const linux = loadBoardProfile("linux");

function refusal(text: string): Error {
  try {
    parseRigConfig(text, "rig.json", linux);
  } catch (err) {
    return err as Error;
  }
  throw new Error("the rig configuration was accepted");
}

describe("rig configuration loader on bad files", () => {
  it("names the line and column where a file ends too early or has a stray token", () => {
    expect(refusal('{\n  "rig": "demo",\n  "channels": [').message).toMatch(/^rig configuration rig\.json:3:16 is not valid JSON: /);
    expect(refusal('{\n  "rig": tru\n}').message).toMatch(/^rig configuration rig\.json:2:10 is not valid JSON: /);
  });

  it("keeps each problem on one line when a key or value holds a newline", () => {
    const rig = JSON.parse(defaultRig);
    rig.board = "\n";
    rig.channels[0]["mi\nn"] = 1;
    const lines = refusal(JSON.stringify(rig, null, 2)).message.split("\n").slice(1);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^ {2}rig\.json:\d+:\d+: \//);
    expect(lines[0]).toBe('  rig.json:3:3: /board: "\\u000a" does not match the board being built (linux): set "board": "linux"');
    expect(lines[1]).toMatch(/\/channels\/0\/mi\\u000an: unknown key "mi\\u000an": /);
  });

  it("names a 40,000-character unknown key and the keys allowed (the campaign times it: 1.2 s before, when every known name was compared letter by letter)", () => {
    expect(refusal(defaultRig.replace("{", `{"${"k".repeat(40_000)}": 1,`)).message).toMatch(/unknown key "k+": remove it \(allowed here: /);
  });

  it("reads a file saved with a byte-order mark", () => {
    expect(parseRigConfig(`\ufeff${defaultRig}`, "rig.json", linux).rig).toBe("demo");
  });

  it("refuses deep nesting by its key path instead of overflowing the stack", () => {
    const err = refusal(defaultRig.replace("{", `{"deep": ${"[".repeat(20_000)}${"]".repeat(20_000)},`));
    expect(err).toBeInstanceOf(RigConfigError);
    expect(err.message).toMatch(/rig\.json:1:\d+: \/deep(\/0){31}: nests deeper than 32 levels/);
  });

  it("finds the positions of a long list in one pass (40,000 elements used to take seconds)", () => {
    const text = defaultRig.replace('"frame_s": 1,', `"frame_s": 1, "x": [${Array(40_000).fill("1").join(",\n")}],`);
    const positions = jsonPositions(text);
    expect(positions.get("/x/39999")).toEqual({ line: 40_004, column: 1 });
    expect(positions.get("/channels/0/rate_hz")).toEqual({ line: 40_015, column: 7 });
  });
});

describe("BDF import of times the protocol cannot carry", () => {
  it("leaves out rows whose time is past 2^53 µs or before 1970, names them, and stores a valid birth", async () => {
    const births: Birth[] = [];
    const store = { writeBirth: async (_r: string, _b: string, birth: Birth) => void births.push(birth), writeFrame: async () => {}, flush: async () => {} } as unknown as SampleStore;
    // 2^53 µs is in 2255: a start that late puts every row after the first beyond it
    const table = readBdfCsv({ text: "test_time_second,voltage_volt\n0,3.7\n1,3.8\n2,3.9\n3,4.0\n" });
    const report = await importBdf(store, table, { cell: "cell-1", start_us: Number.MAX_SAFE_INTEGER - 500_000 });
    expect(report.rowsStored).toBe(1);
    expect(report.rowsExcluded).toEqual([2, 3, 4]);
    expect(report.messages.at(-1)).toMatch(/left out 3 rows whose time is before 1970 or beyond 2\^53 µs \(data rows 2, 3, 4\); check their test_time_second and --start/);
    expect(births.every((b) => birthValidator.Check(b))).toBe(true);
  });
});

describe("dashboard server on an oversized body", () => {
  it("answers 413 with the reason instead of dropping the connection", async () => {
    const bridge = { addListener: () => () => {} } as unknown as Parameters<typeof startWebServer>[0]["bridge"];
    const web = await startWebServer({ port: 0, bridge, store: {} as SampleStore, token: "fuzz-token-0123456789abcdef" });
    try {
      const answer = await fetch(`${web.url}/api/commands`, {
        method: "POST",
        headers: { authorization: "Bearer fuzz-token-0123456789abcdef", "content-type": "application/json" },
        body: JSON.stringify({ board: "b1", note: "x".repeat(5000) }),
      });
      expect(answer.status).toBe(413);
      expect(((await answer.json()) as { error: string }).error).toMatch(/request body is over 4096 bytes/);
    } finally {
      await web.close();
    }
  });
});
