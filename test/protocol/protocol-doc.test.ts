// docs/PROTOCOL.md shows what the encoders really write: every byte-level example in it is the
// output of scripts/docs/protocol-examples.ts, and every example decodes as its kind.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeMessage } from "../../protocol/decode/message.ts";
import { MESSAGE_KINDS } from "../../protocol/schema/topics.ts";
import { exampleMarkdown, examples } from "../../scripts/docs/protocol-examples.ts";

const doc = readFileSync(new URL("../../docs/PROTOCOL.md", import.meta.url), "utf8");

describe("docs/PROTOCOL.md examples", () => {
  it("has one example of every message kind", () => {
    expect(examples().map((e) => e.kind).sort()).toEqual([...MESSAGE_KINDS].sort());
  });

  it.each(examples().map((e) => [e.kind, e] as const))("the %s example is the encoder's output, byte for byte", (_, e) => {
    expect(doc).toContain(exampleMarkdown(e));
  });

  it.each(examples().map((e) => [e.kind, e] as const))("the %s example decodes", (_, e) => {
    expect(decodeMessage(e.kind, e.bytes)).toMatchObject({ ok: true });
  });

  it("a wrong byte in an example would be noticed", () => {
    const data = examples().find((e) => e.kind === "data")!;
    const bytes = data.bytes.slice();
    bytes[bytes.length - 1] = 2;
    expect(doc).not.toContain(exampleMarkdown({ kind: "data", bytes }));
  });
});
