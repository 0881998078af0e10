// Annotated hex dump and diagnostic notation (RFC 8949 §8) of a CBOR item, for the byte-level
// examples of docs/PROTOCOL.md. Covers what the protocol's encoders emit.

export interface Annotated {
  /** One line per head: hex bytes, indented by nesting, then what they mean. */
  dump: string;
  diagnostic: string;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Long byte strings are cut in the dump, never in the diagnostic. */
const MAX_DUMP_BYTES = 24;

export function annotate(bytes: Uint8Array): Annotated {
  const lines: [string, string][] = [];
  let pos = 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  function head(): { major: number; info: number; arg: number; raw: Uint8Array } {
    const start = pos;
    const initial = bytes[pos++]!;
    const major = initial >> 5;
    const info = initial & 31;
    let arg = info;
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    if (size > 0) {
      arg = 0;
      for (let i = 0; i < size; i++) arg = arg * 256 + bytes[pos + i]!;
      pos += size;
    }
    return { major, info, arg, raw: bytes.subarray(start, pos) };
  }

  function item(depth: number): string {
    const pad = "   ".repeat(depth);
    const start = pos;
    const h = head();
    const line = (what: string, raw = h.raw) => lines.push([pad + hex(raw), what]);
    switch (h.major) {
      case 0:
        line(`unsigned(${h.arg})`);
        return String(h.arg);
      case 1:
        line(`negative(${-1 - h.arg})`);
        return String(-1 - h.arg);
      case 2: {
        const data = bytes.subarray(pos, pos + h.arg);
        pos += h.arg;
        lines.push([pad + hex(h.raw), `bytes(${h.arg})`]);
        const shown = data.length > MAX_DUMP_BYTES ? `${hex(data.subarray(0, MAX_DUMP_BYTES))}…` : hex(data);
        if (data.length > 0) lines.push([`${pad}   ${shown}`, ""]);
        return `h'${hex(data)}'`;
      }
      case 3: {
        const text = Buffer.from(bytes.subarray(pos, pos + h.arg)).toString("utf8");
        pos += h.arg;
        line(`text(${h.arg}) ${JSON.stringify(text)}`, bytes.subarray(start, pos));
        return JSON.stringify(text);
      }
      case 4: {
        line(`array(${h.arg})`);
        const items: string[] = [];
        for (let i = 0; i < h.arg; i++) items.push(item(depth + 1));
        return `[${items.join(", ")}]`;
      }
      case 5: {
        line(`map(${h.arg})`);
        const pairs: string[] = [];
        for (let i = 0; i < h.arg; i++) {
          const k = item(depth + 1);
          pairs.push(`${k}: ${item(depth + 1)}`);
        }
        return `{${pairs.join(", ")}}`;
      }
      case 6: {
        line(`tag(${h.arg})`);
        return `${h.arg}(${item(depth + 1)})`;
      }
      default: {
        const simple: { [info: number]: string } = { 20: "false", 21: "true", 22: "null", 23: "undefined" };
        if (simple[h.info] !== undefined) {
          line(simple[h.info]!);
          return simple[h.info]!;
        }
        const at = start + 1;
        const value = h.info === 25 ? halfOf(view.getUint16(at)) : h.info === 26 ? view.getFloat32(at) : view.getFloat64(at);
        const suffix = h.info === 25 ? "_1" : h.info === 26 ? "_2" : "_3";
        const text = Number.isInteger(value) ? value.toFixed(1) : String(value);
        line(`float${h.info === 25 ? 16 : h.info === 26 ? 32 : 64}(${text})`);
        return text + suffix;
      }
    }
  }

  const diagnostic = item(0);
  const width = Math.max(...lines.map(([h]) => h.length)) + 2;
  const dump = lines.map(([h, what]) => (what === "" ? h : h.padEnd(width) + what)).join("\n");
  return { dump, diagnostic };
}

function halfOf(bits: number): number {
  const exponent = (bits >> 10) & 31;
  const mantissa = bits & 1023;
  const sign = bits & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
