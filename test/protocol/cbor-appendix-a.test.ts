// The firmware's CBOR writer, compiled into a bundle and run in the simulator's Espruino sandbox,
// against the examples of RFC 8949 Appendix A (machine-readable copy in the shared reference data):
// every example a generic encoder reproduces and the writer supports must come out byte for byte.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootTestBundle, type TestBundle } from "../../scripts/fixtures/board-entry.ts";

interface Example {
  hex: string;
  roundtrip: boolean;
  decoded?: unknown;
  diagnostic?: string;
}

const APPENDIX_A = fileURLToPath(new URL("../../../shared/data/cbor/appendix_a.json", import.meta.url));
const examples = JSON.parse(readFileSync(APPENDIX_A, "utf8")) as Example[];

/** Strings on the board are UTF-8 byte strings: turn the JSON's text into one. */
function toByteStrings(value: unknown): unknown {
  if (typeof value === "string") return Buffer.from(value, "utf8").toString("latin1");
  if (Array.isArray(value)) return value.map(toByteStrings);
  if (value !== null && typeof value === "object") {
    const out: { [key: string]: unknown } = {};
    for (const [k, v] of Object.entries(value)) out[Buffer.from(k, "utf8").toString("latin1")] = toByteStrings(v);
    return out;
  }
  return value;
}

/** What the board is asked to write (see fixtures/cbor-encoder-entry.ts). */
interface Op {
  op: "value" | "float" | "undefined" | "bytes" | "tag";
  v?: unknown;
  hex?: string;
  tag?: number;
  inner?: Op;
}

/** Diagnostic notation the writer supports, as an operation. */
function fromDiagnostic(diagnostic: string): Op | undefined {
  if (diagnostic === "Infinity" || diagnostic === "-Infinity" || diagnostic === "NaN") return { op: "float", v: diagnostic };
  if (diagnostic === "undefined") return { op: "undefined" };
  const bytes = /^h'([0-9a-f]*)'$/.exec(diagnostic);
  if (bytes) return { op: "bytes", hex: bytes[1] };
  const tagged = /^(\d+)\((.*)\)$/.exec(diagnostic);
  if (tagged) {
    const inner = /^h'/.test(tagged[2]!) ? fromDiagnostic(tagged[2]!) : { op: "value" as const, v: toByteStrings(JSON.parse(tagged[2]!)) };
    if (inner === undefined) return undefined;
    return { op: "tag", tag: Number(tagged[1]), inner };
  }
  return undefined;
}

function withinExactIntegers(value: unknown): boolean {
  return typeof value !== "number" || Math.abs(value) <= 2 ** 53 || !Number.isInteger(value);
}

/**
 * How the board encodes an example, or the category it does not support. JSON has no float
 * type, so examples whose encoding is a float (first byte f9, fa, fb) are written with float().
 */
function encoderFor(e: Example): Op | string {
  if (e.decoded === undefined) {
    const op = fromDiagnostic(e.diagnostic as string);
    if (op) return op;
    if (/^simple\(/.test(e.diagnostic as string)) return "simple values";
    if (/^\{\d/.test(e.diagnostic as string)) return "maps with integer keys";
    return "other: " + e.diagnostic;
  }
  if (/^c[23]/.test(e.hex)) return "bignums (tags 2 and 3)";
  if (Object.is(e.decoded, -0)) return "negative zero (the interpreter has none)";
  if (/^f[9ab]/.test(e.hex)) return { op: "float", v: e.decoded };
  if (!withinExactIntegers(e.decoded)) return "integers beyond 2^53";
  return { op: "value", v: toByteStrings(e.decoded) };
}

let board: TestBundle;
beforeAll(async () => {
  board = await bootTestBundle("test/protocol/fixtures/cbor-encoder-entry.ts");
});
afterAll(() => board?.close());

function encode(op: Op): string {
  return Buffer.from(board.call("encode", op) as Uint8Array).toString("hex");
}

describe("the firmware's CBOR encoder, run on the simulated board, against RFC 8949 Appendix A", () => {
  const reproducible = examples.filter((e) => e.roundtrip);
  const supported = reproducible.filter((e) => typeof encoderFor(e) === "object");
  const unsupported = reproducible.filter((e) => typeof encoderFor(e) === "string");

  it.each(supported.map((e) => [e.decoded ?? e.diagnostic, e.hex]))("encodes %j as %s", (_, hex) => {
    const e = supported.find((x) => x.hex === hex) as Example;
    expect(encode(encoderFor(e) as Op)).toBe(hex);
  });

  it("supports all but the bignum, 64-bit, negative-zero, simple-value and integer-key examples", () => {
    expect(reproducible.length).toBe(65);
    expect(supported.length).toBe(56);
    const categories: { [category: string]: number } = {};
    for (const e of unsupported) {
      const c = encoderFor(e) as string;
      categories[c] = (categories[c] ?? 0) + 1;
    }
    expect(categories).toEqual({
      "bignums (tags 2 and 3)": 2,
      "integers beyond 2^53": 2,
      "negative zero (the interpreter has none)": 1,
      "simple values": 3,
      "maps with integer keys": 1,
    });
  });
});
