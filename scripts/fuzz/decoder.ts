import { readFileSync } from "node:fs";
import { Decoder, Encoder } from "cbor-x";
import fc from "fast-check";
import { Quarantine } from "../../host/bridge/quarantine.ts";
import { decodeMessage, DECODABLE_KINDS, type DecodableKind, type DecodeContext } from "../../protocol/decode/message.ts";
import type { Birth } from "../../protocol/schema/birth.ts";
import { encode, makeBirth, makeData } from "../fixtures/messages.ts";
import { examples } from "../docs/protocol-examples.ts";
import { editTree, sampled, spliceBytes, spliceEdit, valueEdit } from "./generate.ts";
import { hexOf, retimed, settledHeap_B, Tally, type SurfaceReport } from "./tally.ts";

// The host decoder (protocol/decode) as the bridge calls it: one payload, the kind its topic names,
// the board's birth as context. decodeMessage promises never to throw and to give every refusal a
// stable code; each rejection also goes through the bridge's quarantine, which must stay bounded.

/** The codes protocol/decode/result.ts documents. */
export const DECODE_CODES = new Set(["too_large", "cbor", "too_deep", "schema", "bad_block", "channel_count", "unknown_boot", "implausible", "topic_mismatch", "duplicate_channel", "unknown_op", "unknown_kind"]);

/** A synchronous decode slower than this is a hang: a frame is decoded in microseconds. */
const HANG_ms = 250;
const QUARANTINE_CAPACITY = 100;

interface Seed {
  kind: DecodableKind;
  bytes: Uint8Array;
  context: DecodeContext;
}

/** Heads that lie about lengths, indefinite lengths, foreign tags, odd simple values. */
const CBOR_FRAGMENTS = [
  [0x5a, 0xff, 0xff, 0xff, 0xff], [0x7a, 0xff, 0xff, 0xff, 0xff], [0x9a, 0xff, 0xff, 0xff, 0xff], [0xba, 0xff, 0xff, 0xff, 0xff],
  [0x5b, 0, 0, 0, 1, 0, 0, 0, 0], [0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x5f], [0x9f], [0xbf], [0xff],
  [0xd8, 77, 0x5a, 0xff, 0xff, 0xff, 0xfe], [0xd8, 69, 0x43, 1, 2, 3], [0xc1, 0x00], [0xd9, 0xd9, 0xf7], [0xf8, 0x20], [0xf7], [0xf9, 0x7e, 0x00],
  [0xfb, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0], [0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
  [0xa1, 0x69, 0x5f, 0x5f, 0x70, 0x72, 0x6f, 0x74, 0x6f, 0x5f, 0x5f, 0xa0], [0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81],
  [0x62, 0xc3, 0x28], [0x7f, 0xff],
];

/** Encodes as boards do (plain maps, typed arrays as RFC 8746 tags); decodes so typed arrays come back as themselves. */
const encoder = new Encoder({ useRecords: false, tagUint8Array: false });
const treeDecoder = new Decoder({ useRecords: false, mapsAsObjects: true, int64AsNumber: true } as ConstructorParameters<typeof Decoder>[0]);

function appendixItems(): Uint8Array[] {
  const path = new URL("../../../shared/data/cbor/appendix_a.json", import.meta.url);
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { hex: string }[]).map((v) => Uint8Array.from(Buffer.from(v.hex, "hex")));
  } catch {
    return []; // the reference vectors sit beside the repository in development and CI; without them the campaign uses its own seeds
  }
}

function seeds(): Seed[] {
  const fixtureBirth = makeBirth();
  const docs = examples();
  const docBirth = treeDecoder.decode(docs.find((e) => e.kind === "birth")!.bytes) as Birth;
  // the document's data frame carries two channels; its birth shows one
  docBirth.channels.push({ ...docBirth.channels[0]!, id: "t1" });
  const out: Seed[] = docs.map((e) => ({ kind: e.kind as DecodableKind, bytes: e.bytes, context: { birth: docBirth, topic: { rig: docBirth.rig, board: docBirth.board, kind: e.kind } } }));
  out.push({ kind: "birth", bytes: encode(fixtureBirth), context: { topic: { rig: fixtureBirth.rig, board: fixtureBirth.board, kind: "birth" } } });
  out.push({ kind: "data", bytes: encode(makeData(fixtureBirth)), context: { birth: fixtureBirth } });
  for (const op of [
    { op: "set_calibration", channel: "p1", cal: { kind: "linear", gain: 31.25, offset: -125000 } },
    { op: "set_threshold", channel: "p1", rule: "p1_high", threshold: 12.5 },
    { op: "resend_from", b: 5, seq: 4294967295 },
    { op: "rebirth" },
    { op: "reboot" },
  ]) out.push({ kind: "cmd", bytes: encode({ v: 1, id: 9, ...op }), context: {} });
  return out;
}

interface Input {
  kind: DecodableKind;
  bytes: Uint8Array;
  context: DecodeContext;
  how: string;
}

function inputs(all: Seed[], vectors: Uint8Array[]): fc.Arbitrary<Input> {
  const seed = fc.nat(all.length - 1).map((i) => all[i]!);
  const otherKind = fc.constantFrom(...DECODABLE_KINDS);
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(seed, fc.array(spliceEdit, { minLength: 1, maxLength: 4 })).map(([s, edits]) => ({ ...s, bytes: spliceBytes(s.bytes, edits, CBOR_FRAGMENTS), how: "bytes edited" })) },
    {
      weight: 4,
      arbitrary: fc.tuple(seed, fc.array(valueEdit, { minLength: 1, maxLength: 3 })).map(([s, edits]) => ({ ...s, bytes: reencoded(editTree(treeDecoder.decode(s.bytes), edits)), how: "fields edited" })),
    },
    { weight: 1, arbitrary: fc.tuple(seed, otherKind).map(([s, kind]) => ({ ...s, kind, how: `decoded as ${kind}` })) },
    { weight: 1, arbitrary: fc.tuple(otherKind, fc.uint8Array({ maxLength: 96 })).map(([kind, bytes]) => ({ kind, bytes, context: {}, how: "random bytes" })) },
    ...(vectors.length === 0
      ? []
      : [{ weight: 1, arbitrary: fc.tuple(seed, fc.nat(vectors.length - 1), fc.nat()).map(([s, v, at]) => ({ ...s, bytes: withItem(s.bytes, vectors[v]!, at), how: "RFC 8949 vector spliced" })) }]),
    { weight: 1, arbitrary: fc.tuple(seed, fc.nat(300_000)).map(([s, n]) => ({ ...s, bytes: grown(s.bytes, n), how: "padded" })) },
  );
}

/** A value encoded again; values cbor-x cannot encode (none expected) stay as an empty payload. */
function reencoded(value: unknown): Uint8Array {
  try {
    return encoder.encode(value);
  } catch {
    return new Uint8Array(0);
  }
}

/** The payload with an Appendix A item in place of the byte at `at`, or as the whole payload. */
function withItem(bytes: Uint8Array, item: Uint8Array, at: number): Uint8Array {
  if (at % 3 === 0) return item;
  const i = at % bytes.length;
  return Uint8Array.from([...bytes.subarray(0, i), ...item, ...bytes.subarray(i + 1)]);
}

/** The payload followed by `n` zero bytes: large inputs, some over the size limit. */
function grown(bytes: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(bytes.length + n);
  out.set(bytes);
  return out;
}

export async function fuzzDecoder(count: number, seed: number): Promise<SurfaceReport> {
  const all = seeds();
  const tally = new Tally("protocol decoder", HANG_ms);
  const quarantine = new Quarantine(QUARANTINE_CAPACITY);
  const checkSeeds = (after: number) => {
    for (const s of all) {
      const result = decodeMessage(s.kind, s.bytes, s.context);
      if (!result.ok) tally.fail(`valid ${s.kind} refused after ${after} inputs: ${result.error.code}: ${result.error.message}`);
    }
  };
  checkSeeds(0);
  const heapBefore_B = settledHeap_B();
  let n = 0;
  for (const input of sampled(inputs(all, appendixItems()), count, seed)) {
    const shown = () => `${input.how}, ${input.kind} ${hexOf(input.bytes)}`;
    const start = performance.now();
    try {
      const result = decodeMessage(input.kind, input.bytes, input.context);
      const elapsed = retimed(performance.now() - start, HANG_ms, () => decodeMessage(input.kind, input.bytes, input.context));
      if (result.ok) tally.record(undefined, elapsed, shown);
      else if (!DECODE_CODES.has(result.error.code) || result.error.message.length === 0) tally.crash(`refusal without a known code (${JSON.stringify(result.error)})`, elapsed, shown);
      else {
        quarantine.add(`cellrig/v1/fuzz/b1/${input.kind}`, input.bytes, result.error);
        tally.record(result.error.code, elapsed, shown);
      }
    } catch (err) {
      tally.crash(`threw ${String(err)}`, performance.now() - start, shown);
    }
    if (++n % 100_000 === 0) checkSeeds(n);
  }
  checkSeeds(n);
  const heapGrowth_B = settledHeap_B() - heapBefore_B;
  const kept = quarantine.recent();
  const keptJson_B = Buffer.byteLength(JSON.stringify(kept));
  if (kept.length > QUARANTINE_CAPACITY) tally.fail(`the quarantine keeps ${kept.length} rejections; its capacity is ${QUARANTINE_CAPACITY}`);
  tally.notes.push(`quarantine after ${n} inputs: ${kept.length} rejections kept (capacity ${QUARANTINE_CAPACITY}), ${keptJson_B} bytes as JSON`);
  return tally.report(heapGrowth_B);
}
