import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "acorn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HASH_PLACEHOLDER } from "../../scripts/build/build-info.ts";
import { buildFirmware, FirmwareBuildError, type BuiltBundle } from "../../scripts/build/bundle.ts";
import { checkBundle } from "../../scripts/build/bundle-check.ts";
import { printedBy } from "./printed.ts";

const fixture = (path: string) => fileURLToPath(new URL(`fixtures/${path}`, import.meta.url));
const board = { id: "bench-board", name: "Bench board", jsvars: 2950 };
const config = { rig: "cycler-7", gains: [0.1, 4.25, 1e-7] };

/** What the fixture computes: each ScaledSensor reads gain × 2.5. */
const expectedTotal = config.gains.reduce((sum, gain) => sum + gain * 2.5, 0);

describe("buildFirmware", () => {
  const outDir = mkdtempSync(join(tmpdir(), "cellrig-build-test-"));
  let built: BuiltBundle;

  beforeAll(async () => {
    built = await buildFirmware({ board, config, entry: fixture("app/main.ts"), out: join(outDir, "nested", "bench.js") });
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it("produces a bundle that passes the Espruino check", () => {
    expect(checkBundle(built.code)).toEqual([]);
    expect(built.bytes).toBe(Buffer.byteLength(built.code));
    expect(/^[\x20-\x7e\n]*$/.test(built.code)).toBe(true);
  });

  it("produces one IIFE and nothing else", () => {
    const program = parse(built.code, { ecmaVersion: 5 });
    expect(program.body).toHaveLength(1);
    const statement = program.body[0]!;
    expect(statement.type).toBe("ExpressionStatement");
    let call = statement.type === "ExpressionStatement" ? statement.expression : null;
    if (call?.type === "UnaryExpression") call = call.argument;
    expect(call?.type).toBe("CallExpression");
    expect(call?.type === "CallExpression" && call.callee.type).toBe("FunctionExpression");
  });

  it("embeds the rig configuration and the board profile", () => {
    expect(built.code).toContain('"cycler-7"');
    expect(built.code).toContain('"bench-board"');
  });

  it("stamps the hash of the bundle, computed with the placeholder in place", () => {
    expect(built.hash).toMatch(/^[0-9a-f]{12}$/);
    expect(built.code).not.toContain(HASH_PLACEHOLDER);
    const unstamped = built.code.split(built.hash).join(HASH_PLACEHOLDER);
    expect(createHash("sha256").update(unstamped).digest("hex").slice(0, 12)).toBe(built.hash);
  });

  it("runs: subclass fields, super calls, inherited statics, for...of and the embedded values", () => {
    expect(printedBy(built.code)).toEqual([`cycler-7 bench-board total=${expectedTotal} sensors made: 3 hash=${built.hash}`]);
  });

  it("writes the bundle where asked, creating folders", () => {
    expect(built.path).toBe(join(outDir, "nested", "bench.js"));
    expect(readFileSync(built.path!, "utf8")).toBe(built.code);
  });

  it("keeps a readable bundle without minify, still hoisted and checked", async () => {
    const readable = await buildFirmware({ board, config, entry: fixture("app/main.ts"), minify: false });
    expect(readable.code).toContain("ScaledSensor");
    expect(readable.bytes).toBeGreaterThan(built.bytes);
    expect(printedBy(readable.code)).toEqual([`cycler-7 bench-board total=${expectedTotal} sensors made: 3 hash=${readable.hash}`]);
  });

  it("fails on a type error, naming the file and position", async () => {
    const failure = buildFirmware({ board, config, entry: fixture("type-error/main.ts") });
    await expect(failure).rejects.toThrow(FirmwareBuildError);
    await expect(failure).rejects.toThrow(/test\/build\/fixtures\/type-error\/main\.ts:6:\d+: .*TS2583: Cannot find name 'Map'/);
  });

  it("fails on an import rollup cannot resolve", async () => {
    await expect(buildFirmware({ board, config, entry: fixture("unresolved/main.ts") })).rejects.toThrow(
      /does not compile:\n  .*Could not resolve "\.\/calibration-table\.js" from "test\/build\/fixtures\/unresolved\/main\.ts"/,
    );
  });

  it("fails when the bundle check finds problems, listing each with rule and position", async () => {
    const failure = buildFirmware({ board, config, entry: fixture("check-failure/main.ts") });
    await expect(failure).rejects.toThrow(/fails the Espruino bundle check \(2 problems/);
    await expect(failure).rejects.toThrow(/forbidden-member 1:\d+ Object\.freeze/);
    await expect(failure).rejects.toThrow(/math-pow 1:\d+ Math\.pow with exponent 32/);
  });

  it("refuses configuration values JSON cannot carry", async () => {
    await expect(buildFirmware({ board, config: { gains: [Number.NaN] }, entry: fixture("app/main.ts") })).rejects.toThrow(
      "build.config.gains[0] is NaN",
    );
  });
});
