import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { schema } from "../../cli/commands/schema.ts";
import { MESSAGE_KINDS } from "../../protocol/schema/topics.ts";

describe("cellrig schema", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes one JSON Schema per message kind", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cellrig-schema-"));
    vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      expect(await schema.run(["--out", dir])).toBe(0);
      for (const kind of MESSAGE_KINDS) {
        const doc = JSON.parse(readFileSync(join(dir, `${kind}.schema.json`), "utf8"));
        expect(doc.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
        expect(doc.title).toContain(kind);
      }
      const cmd = JSON.parse(readFileSync(join(dir, "cmd.schema.json"), "utf8"));
      expect(cmd.anyOf.map((v: { properties: { op: { const: string } } }) => v.properties.op.const)).toEqual(["set_rate", "set_threshold", "set_calibration", "rebirth", "resend_from", "reboot"]);
      const data = JSON.parse(readFileSync(join(dir, "data.schema.json"), "utf8"));
      expect(data.properties.q.items).toMatchObject({ type: "integer", maximum: 31 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("prints every schema as one JSON object without --out", async () => {
    const printed: string[] = [];
    vi.spyOn(console, "log").mockImplementation((text: string) => void printed.push(text));
    expect(await schema.run([])).toBe(0);
    expect(Object.keys(JSON.parse(printed.join("\n")))).toEqual(MESSAGE_KINDS);
  });
});
