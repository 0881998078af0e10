// The signed command of docs/PROTOCOL.md "Command authentication" is what the host's signer writes,
// and its tag checks out against the specification's recipe computed here by hand.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeMessage } from "../../protocol/decode/message.ts";
import { parseCommand, TAG_BYTES } from "../../protocol/wire/command.ts";
import { EXAMPLE_BOARD, EXAMPLE_COUNTER, EXAMPLE_KEY, exampleMarkdown, signedCommandExample } from "../../scripts/docs/protocol-examples.ts";

const doc = readFileSync(new URL("../../docs/PROTOCOL.md", import.meta.url), "utf8");

describe("the signed command in docs/PROTOCOL.md", () => {
  const { bytes } = signedCommandExample();

  it("is the signer's output, byte for byte", () => {
    expect(doc).toContain(exampleMarkdown(signedCommandExample()));
  });

  it("decodes, and its tag is HMAC-SHA1 over the board id, a zero byte and the bytes around the tag", () => {
    expect(decodeMessage("cmd", bytes)).toMatchObject({ ok: true, message: { boot: 2718281828, n: EXAMPLE_COUNTER } });
    // the tag's 20 bytes follow its head 0x54, the only byte-string head in the command
    const at = bytes.indexOf(0x40 + TAG_BYTES) + 1;
    const tag = bytes.subarray(at, at + TAG_BYTES);
    const signed = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + TAG_BYTES)]);
    const expected = createHmac("sha1", EXAMPLE_KEY).update(Buffer.from(`${EXAMPLE_BOARD}\0`, "latin1")).update(signed).digest();
    expect(Buffer.from(tag).equals(expected)).toBe(true);
    const parsed = parseCommand(bytes);
    expect(parsed.ok && Buffer.from(parsed.command.auth!.signed).equals(signed)).toBe(true);
  });

  it("would show a changed byte", () => {
    const changed = bytes.slice();
    changed[changed.length - 1] = 21;
    expect(doc).not.toContain(exampleMarkdown({ kind: "cmd", bytes: changed }));
  });
});
