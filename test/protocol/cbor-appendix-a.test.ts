// The writer against the examples of RFC 8949 Appendix A (machine-readable copy in the shared
// reference data): every example a generic encoder reproduces and the writer supports must come
// out byte for byte.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CborWriter } from "../../protocol/wire/cbor-writer.ts";
import { writeValue } from "../../protocol/wire/cbor-value.ts";

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

type Encode = (w: CborWriter) => void;

/** Diagnostic notation the writer supports, as calls on the writer. */
function fromDiagnostic(diagnostic: string): Encode | undefined {
  if (diagnostic === "Infinity") return (w) => w.float(Infinity);
  if (diagnostic === "-Infinity") return (w) => w.float(-Infinity);
  if (diagnostic === "NaN") return (w) => w.float(NaN);
  if (diagnostic === "undefined") return (w) => w.undefined();
  const bytes = /^h'([0-9a-f]*)'$/.exec(diagnostic);
  if (bytes) return (w) => w.byteString(new Uint8Array(Buffer.from(bytes[1], "hex")));
  const tagged = /^(\d+)\((.*)\)$/.exec(diagnostic);
  if (tagged) {
    const inner = /^h'/.test(tagged[2]) ? fromDiagnostic(tagged[2]) : valueEncoder(JSON.parse(tagged[2]));
    if (inner === undefined) return undefined;
    return (w) => {
      w.tag(Number(tagged[1]));
      inner(w);
    };
  }
  return undefined;
}

function valueEncoder(value: unknown): Encode {
  return (w) => writeValue(w, toByteStrings(value));
}

function withinExactIntegers(value: unknown): boolean {
  return typeof value !== "number" || Math.abs(value) <= 2 ** 53 || !Number.isInteger(value);
}

/**
 * How the writer encodes an example, or the category it does not support. JSON has no float
 * type, so examples whose encoding is a float (first byte f9, fa, fb) go through float().
 */
function encoderFor(e: Example): Encode | string {
  if (e.decoded === undefined) {
    const encode = fromDiagnostic(e.diagnostic as string);
    if (encode) return encode;
    if (/^simple\(/.test(e.diagnostic as string)) return "simple values";
    if (/^\{\d/.test(e.diagnostic as string)) return "maps with integer keys";
    return "other: " + e.diagnostic;
  }
  if (/^c[23]/.test(e.hex)) return "bignums (tags 2 and 3)";
  if (/^f[9ab]/.test(e.hex)) return (w) => w.float(e.decoded as number);
  if (!withinExactIntegers(e.decoded)) return "integers beyond 2^53";
  return valueEncoder(e.decoded);
}

function encode(fn: Encode): string {
  const w = new CborWriter(64);
  fn(w);
  return Buffer.from(w.bytes()).toString("hex");
}

describe("CborWriter against RFC 8949 Appendix A", () => {
  const reproducible = examples.filter((e) => e.roundtrip);
  const supported = reproducible.filter((e) => typeof encoderFor(e) === "function");
  const unsupported = reproducible.filter((e) => typeof encoderFor(e) === "string");

  it.each(supported.map((e) => [e.decoded ?? e.diagnostic, e.hex]))("encodes %j as %s", (_, hex) => {
    const e = supported.find((x) => x.hex === hex) as Example;
    expect(encode(encoderFor(e) as Encode)).toBe(hex);
  });

  it("supports all but the bignum, 64-bit, simple-value and integer-key examples", () => {
    expect(reproducible.length).toBe(65);
    expect(supported.length).toBe(57);
    const categories: { [category: string]: number } = {};
    for (const e of unsupported) {
      const c = encoderFor(e) as string;
      categories[c] = (categories[c] ?? 0) + 1;
    }
    expect(categories).toEqual({
      "bignums (tags 2 and 3)": 2,
      "integers beyond 2^53": 2,
      "simple values": 3,
      "maps with integer keys": 1,
    });
  });
});
