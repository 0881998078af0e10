import { Encoder } from "cbor-x";
import fc from "fast-check";
import { startEmbeddedBroker } from "../../host/broker/embedded.ts";
import { startBoard, syntheticRig } from "../fixtures/board-rig.ts";
import { editTree, sampled, spliceBytes, spliceEdit, valueEdit } from "./generate.ts";
import { hexOf, settledHeap_B, Tally, type SurfaceReport } from "./tally.ts";

// The command handler on the board: the BUILT firmware bundle (linux profile, two synthetic
// channels, one alarm rule) in the simulator, connected to the embedded broker; each input is
// published on the board's cmd topic as the host would, and the board must answer with an ack
// that gives a code, raise no uncaught error, and keep acknowledging a valid command. Each input
// costs about a second of virtual time with real I/O, so this surface gets far fewer inputs.

const RIG = "fuzz";
const CMD = `cellrig/v1/${RIG}/b1/cmd`;
/** Virtual seconds to wait for an ack; the board answers within a few tenths. */
const ACK_LIMIT_s = 1.5;
const HANG_ms = 10_000;

const encoder = new Encoder({ useRecords: false, tagUint8Array: false });

/** Commands a board accepts, reboot left out: a reboot is tested elsewhere and would cost seconds per input here. */
const VALID: Record<string, unknown>[] = [
  { op: "set_rate", channel: "s1", rate_hz: 5 },
  { op: "set_threshold", channel: "s1", rule: "s1_high", threshold: 6 },
  { op: "set_calibration", channel: "s2", cal: { kind: "linear", gain: 0.0002, offset: 1 } },
  { op: "rebirth" },
  { op: "resend_from", b: 1, seq: 0 },
];

const CBOR_FRAGMENTS = [[0x5a, 0xff, 0xff, 0xff, 0xff], [0x9a, 0xff, 0xff, 0xff, 0xff], [0xbf], [0xff], [0xf9, 0x7e, 0x00], [0xfb, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0], [0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81]];

function inputs(): fc.Arbitrary<{ bytes: Uint8Array; how: string }> {
  const seed = fc.nat(VALID.length - 1).map((i) => ({ v: 1, id: 1, ...VALID[i]! }));
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(seed, fc.array(valueEdit, { minLength: 1, maxLength: 3 })).map(([s, edits]) => ({ bytes: encodeOrEmpty(editTree(s, edits)), how: "fields edited" })) },
    { weight: 4, arbitrary: fc.tuple(seed, fc.array(spliceEdit, { minLength: 1, maxLength: 3 })).map(([s, edits]) => ({ bytes: spliceBytes(encoder.encode(s), edits, CBOR_FRAGMENTS), how: "bytes edited" })) },
    { weight: 1, arbitrary: seed.map((s) => ({ bytes: encoder.encode(s), how: "as is" })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ bytes, how: "random bytes" })) },
    { weight: 1, arbitrary: fc.integer({ min: 513, max: 4000 }).map((n) => ({ bytes: new Uint8Array(n), how: "oversized" })) },
  );
}

/** The MQTT client's console line for a PUBLISH larger than its receive buffer (firmware/transport/mqtt/client.ts). */
const DISCARDED = "receive buffer; it was discarded";

function encodeOrEmpty(value: unknown): Uint8Array {
  try {
    return encoder.encode(value);
  } catch {
    return new Uint8Array(0);
  }
}

export async function fuzzBoardCommands(count: number, seed: number): Promise<SurfaceReport> {
  const tally = new Tally("board command handler (built firmware in the simulator, MQTT cmd topic)", HANG_ms);
  const broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
  const rig = syntheticRig(broker.port, 2, { rig: RIG, alarms: [{ name: "s1_high", channel: "s1", kind: "high", threshold: 5 }] });
  const b = await startBoard(rig, broker.url);
  try {
    await b.runUntil(() => b.of("birth").length > 0, 30);
    if (b.of("birth").length === 0) throw new Error("the board under test never announced itself");
    const acks = () => b.of("ack").length;
    // every console line (the board's `output` keeps only the latest), to tell why an input got no ack
    const lines: string[] = [];
    b.board.on("output", (line: string) => lines.push(line));
    const memoryBefore = b.board.memory();
    const heapBefore_B = settledHeap_B();
    let n = 0;
    let id = 1000;
    const probe = async (after: number) => {
      const probeId = ++id;
      await b.publish(CMD, encoder.encode({ v: 1, id: probeId, op: "rebirth" }));
      await b.runUntil(() => b.of("ack").some((a) => a.id === probeId), 5);
      if (!b.of("ack").some((a) => a.id === probeId && a.ok)) tally.fail(`the board stopped acknowledging a valid command after ${after} inputs`);
    };
    for (const input of sampled(inputs(), count, seed)) {
      const shown = () => `${input.how}: ${hexOf(input.bytes)}`;
      const errorsBefore = b.board.errors.length;
      lines.length = 0;
      const before = acks();
      const start = performance.now();
      await b.publish(CMD, input.bytes);
      await b.runUntil(() => acks() > before, ACK_LIMIT_s);
      const elapsed = performance.now() - start;
      if (b.board.errors.length > errorsBefore) {
        const e = b.board.errors[b.board.errors.length - 1]!;
        tally.crash(`uncaught on the board at ${e.where}: ${e.name}: ${e.message}`, elapsed, shown);
      } else if (acks() === before) {
        // a PUBLISH over the receive buffer never reaches the command handler, by design; any other
        // input left without an ack is a bug, kept with its input and the board's console lines
        if (lines.some((line) => line.includes(DISCARDED))) tally.record("no ack: over the MQTT receive buffer (discarded, logged)", elapsed, shown);
        else tally.crash(`no ack within ${ACK_LIMIT_s} s of virtual time (console: ${lines.join(" | ").slice(0, 200)})`, elapsed, shown);
      }
      else {
        const ack = b.of("ack").at(-1)!;
        if (ack.ok) tally.record(undefined, elapsed, shown);
        else if (ack.code.length === 0 || ack.message.length === 0) tally.crash(`ack without a reason: ${JSON.stringify(ack)}`, elapsed, shown);
        else tally.record(ack.code, elapsed, shown);
      }
      if (++n % 50 === 0) await probe(n);
    }
    if (n % 50 !== 0) await probe(n);
    const memoryAfter = b.board.memory();
    tally.notes.push(`board JsVars in use before ${memoryBefore.usage} and after ${memoryAfter.usage} of ${memoryAfter.total}, peak ${memoryAfter.peak}; reboots ${b.board.reboots.length}; uncaught errors ${b.board.errors.length}; messages from the board the host refused ${b.invalid.length}`);
    return tally.report(settledHeap_B() - heapBefore_B);
  } finally {
    await b.close();
    await broker.close();
  }
}
