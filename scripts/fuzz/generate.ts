import fc from "fast-check";

// Inputs are drawn with fast-check from a fixed seed, batch by batch, so a campaign of a million
// inputs needs no more memory than one batch and the same seed always gives the same inputs.
// Most inputs are valid seeds with a few edits (structure-aware: a field of the decoded value
// replaced, removed or added, then encoded again; or bytes and characters edited in place), since
// inputs that get past the first checks reach the code behind them.

const BATCH = 2000;

/** `count` values of `arb`, drawn in batches from `seed`. */
export function* sampled<T>(arb: fc.Arbitrary<T>, count: number, seed: number): Generator<T> {
  for (let done = 0, batch = 0; done < count; batch++) {
    const n = Math.min(BATCH, count - done);
    yield* fc.sample(arb, { seed: (seed + batch * 7919) | 0, numRuns: n });
    done += n;
  }
}

/** Values that break careless code: edges of number ranges, odd strings, empty and wrong containers. */
export const ODD_VALUES: readonly unknown[] = [
  0, -0, 1, -1, 0.5, -0.5, 1e-300, 5e-324, 255, 256, 65535, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 32, -(2 ** 31) - 1,
  2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, 1.7976931348623157e308, -1e308, NaN, Infinity, -Infinity,
  "", " ", "0", "-1", "1e3", "NaN", "true", "null", "p1", "__proto__", "constructor", "x".repeat(33), "x".repeat(600),
  "\u0000", "\n", "é", "\u{1F50B}", "\uD800", "../../etc/passwd", "%00", "<script>", "' OR 1=1 --",
  true, false, null, [], {}, [[[[[[]]]]]], { op: "rebirth" }, [0, 1, 2],
];

/** Keys worth adding to a map: prototype names, near-misses and empties. */
export const ODD_KEYS: readonly string[] = ["__proto__", "constructor", "prototype", "", " ", "$comment", "v", "id", "op", "b", "t", "c", "x".repeat(64), "é"];

/** One edit of a JSON-like tree: which node (index into a walk of the tree), what to do, with what. */
export interface ValueEdit {
  node: number;
  action: number;
  value: unknown;
  key: string;
}

export const valueEdit: fc.Arbitrary<ValueEdit> = fc.record({
  node: fc.nat(),
  action: fc.nat(7),
  value: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ODD_VALUES) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: "binary" }) },
  ),
  key: fc.oneof(fc.constantFrom(...ODD_KEYS), fc.string({ maxLength: 12 })),
});

type Container = Record<string, unknown> | unknown[];
interface Slot {
  parent: Container;
  key: string | number;
}

/** Every place in the tree a value sits, parents before children. */
function slots(root: { value: unknown }): Slot[] {
  const out: Slot[] = [];
  const walk = (parent: Container, key: string | number) => {
    out.push({ parent, key });
    const value = (parent as Record<string, unknown>)[key as string];
    if (Array.isArray(value)) value.forEach((_, i) => walk(value, i));
    else if (isPlainObject(value)) for (const k of Object.keys(value)) walk(value, k);
  };
  walk(root as unknown as Container, "value");
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/** A deep copy that keeps typed arrays and byte strings as what they are. */
export function copyTree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyTree);
  if (ArrayBuffer.isView(value)) return (value as unknown as { slice(): unknown }).slice();
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) Object.defineProperty(out, k, { value: copyTree(value[k]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/**
 * Applies edits to a copy of `tree`: replace a value, remove a member, add a member (own property,
 * even "__proto__"), double an array, empty a container, nudge a number, or cut a string.
 */
export function editTree(tree: unknown, edits: readonly ValueEdit[]): unknown {
  const root = { value: copyTree(tree) };
  for (const edit of edits) {
    const all = slots(root);
    const slot = all[edit.node % all.length]!;
    const parent = slot.parent as Record<string | number, unknown>;
    const current = parent[slot.key];
    switch (edit.action) {
      case 0:
      case 1:
        set(parent, slot.key, copyTree(edit.value));
        break;
      case 2:
        if (Array.isArray(parent)) parent.splice(slot.key as number, 1);
        else if (slot.parent !== (root as unknown)) delete parent[slot.key];
        break;
      case 3:
        if (isPlainObject(current)) set(current, edit.key, copyTree(edit.value));
        else if (Array.isArray(current)) current.push(copyTree(edit.value));
        else set(parent, slot.key, [current, copyTree(edit.value)]);
        break;
      case 4:
        if (Array.isArray(current)) current.push(...current.map(copyTree));
        else if (ArrayBuffer.isView(current)) set(parent, slot.key, new Uint8Array(0));
        else set(parent, slot.key, { [edit.key]: current });
        break;
      case 5:
        if (typeof current === "number") set(parent, slot.key, nudge(current, edit.node));
        else if (typeof current === "string") set(parent, slot.key, current.slice(0, edit.node % (current.length + 1)));
        else set(parent, slot.key, Array.isArray(current) ? [] : {});
        break;
      default:
        set(parent, slot.key, typeof current === "string" ? Number(current) || current + current : String(current));
    }
  }
  return root.value;
}

function set(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A number moved to a neighbour that checks often get wrong. */
function nudge(n: number, pick: number): number {
  const choices = [n + 1, n - 1, -n, n * 2 ** 20, n / 3, Math.floor(n / 2), n + 0.5, n * 1e300];
  return choices[pick % choices.length]!;
}

/** One in-place edit of a byte string or text: flip, overwrite, delete, insert, splice a fragment, truncate, repeat. */
export interface SpliceEdit {
  kind: number;
  at: number;
  length: number;
  bytes: Uint8Array;
  fragment: number;
}

export const spliceEdit: fc.Arbitrary<SpliceEdit> = fc.record({
  kind: fc.nat(6),
  at: fc.nat(),
  length: fc.nat(16),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  fragment: fc.nat(),
});

/** Applies `edits` to `input`; `fragments` are pieces that mean something where they land (CBOR heads, JSON tokens). */
export function spliceAll<T>(input: T[], edits: readonly SpliceEdit[], fragments: readonly T[][], randomUnit: (b: number) => T): T[] {
  const out = input.slice();
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % (out.length + 1);
    const inside = out.length === 0 ? 0 : at % out.length;
    switch (e.kind) {
      case 0:
        if (out.length > 0) out[inside] = randomUnit(e.bytes[0]! ^ (1 << (e.length % 8)));
        break;
      case 1:
        for (let i = 0; i < e.bytes.length && inside + i < out.length; i++) out[inside + i] = randomUnit(e.bytes[i]!);
        break;
      case 2:
        out.splice(at, 1 + e.length);
        break;
      case 3:
        out.splice(at, 0, ...Array.from(e.bytes, randomUnit));
        break;
      case 4:
        out.splice(at, e.length % 3, ...fragments[e.fragment % fragments.length]!);
        break;
      case 5:
        out.length = at;
        break;
      default:
        out.splice(at, 0, ...out.slice(at, at + 1 + e.length * 4));
    }
  }
  return out;
}

/** Byte edits of a payload. */
export function spliceBytes(input: Uint8Array, edits: readonly SpliceEdit[], fragments: readonly number[][]): Uint8Array {
  return Uint8Array.from(spliceAll(Array.from(input), edits, fragments, (b) => b & 255));
}

/** Character edits of a text (in UTF-16 units, so a surrogate may be cut in half, as a truncated file would). */
export function spliceText(input: string, edits: readonly SpliceEdit[], fragments: readonly string[]): string {
  const units = input.split("");
  const pieces = fragments.map((f) => f.split(""));
  const printable = (b: number) => (b < 32 ? "\n,\"{}[]:0.-e \t\r\\"[b % 16]! : String.fromCharCode(b < 128 ? b : 0x80 + b * 37));
  return spliceAll(units, edits, pieces, printable).join("");
}
