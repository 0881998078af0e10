// The byte-level examples of docs/PROTOCOL.md, produced by the encoders the firmware runs
// (protocol/wire). `npx tsx scripts/docs/protocol-examples.ts` prints them as Markdown;
// test/protocol/protocol-doc.test.ts checks that the document holds exactly these.
import { pathToFileURL } from "node:url";
import { writeAck } from "../../protocol/wire/ack.ts";
import { writeAlarm } from "../../protocol/wire/alarm.ts";
import { writeValue } from "../../protocol/wire/cbor-value.ts";
import { CborWriter } from "../../protocol/wire/cbor-writer.ts";
import { writeDataFrame } from "../../protocol/wire/data-frame.ts";
import { writeGap } from "../../protocol/wire/gap.ts";
import { writeHealth } from "../../protocol/wire/health.ts";
import type { MessageKind } from "../../protocol/wire/topics.ts";
import { signCommand } from "../../host/bridge/command-keys.ts";
import { encodeCommand } from "../../host/bridge/command-sender.ts";
import type { Command } from "../../protocol/schema/command.ts";
import { TAG_BYTES } from "../../protocol/wire/command.ts";
import { annotate } from "./cbor-annotate.ts";

export interface Example {
  kind: MessageKind;
  bytes: Uint8Array;
}

function encode(write: (w: CborWriter) => void): Uint8Array {
  const w = new CborWriter(4096);
  write(w);
  return w.bytes().slice();
}

const BOOT = 2_718_281_828;
const T_us = 1_754_000_000_000_000;

export function examples(): Example[] {
  return [
    {
      kind: "birth",
      bytes: encode((w) =>
        writeValue(w, {
          v: 1, board: "cell-07", boot: BOOT, rig: "demo", profile: "espruino-wifi", seq: 0, t: T_us, tick_us: 100_000,
          clock: { source: "ntp", offset_us: -1250 }, fw: { version: "0.3.1", build: "9f2c41d0" },
          channels: [{ id: "p1", quantity: "cell_pressure_pa", unit: "Pa", sensor: "ads1115", rate_hz: 10, every: 1, raw: "i16", cal: { kind: "linear", gain: 31.25, offset: -125000 }, cfg: 3132474346 }],
        }),
      ),
    },
    {
      kind: "data",
      bytes: encode((w) =>
        writeDataFrame(
          w,
          { boot: BOOT, seq: 41, t0_us: T_us + 41_000_000, tick_us: 100_000, flags: 0, lateness_us: 1200 },
          { samples: [Int32Array.from([12000, 12002, 11999, 12001, 12003]), Int32Array.from([2500, 2501, 2501, 2499, 2500])], counts: [5, 5], offsets: [0, 0], quality: [0, 8] },
        ),
      ),
    },
    { kind: "death", bytes: encode((w) => writeValue(w, { b: BOOT, v: 1 })) },
    { kind: "alarm", bytes: encode((w) => writeAlarm(w, { boot: BOOT, n: 0, state: "raised", channel: "p1", rule: "p1_high", value: 250000.5, threshold: 250000, t_us: T_us + 41_300_000 })) },
    { kind: "gap", bytes: encode((w) => writeGap(w, { boot: BOOT, reason: "outbox", samples: 30, frames: 3, seq: 38, from_us: T_us + 38_000_000, until_us: T_us + 40_900_000 })) },
    {
      kind: "health",
      bytes: encode((w) => writeHealth(w, { boot: BOOT, t_us: T_us + 60_000_000, uptime_us: 60_000_000, memUsed: 2150, memTotal: 8190, bufUsed: 1, bufTotal: 16, errors: [], link: "up", connects: 1 })),
    },
    { kind: "cmd", bytes: encode((w) => writeValue(w, { v: 1, id: 17, op: "set_rate", channel: "p1", rate_hz: 20, persist: true })) },
    { kind: "ack", bytes: encode((w) => writeAck(w, { boot: BOOT, id: 17, ok: true, code: "ok", message: "" })) },
  ];
}

/** The key of the signed example: the 32 bytes 00 01 … 1f, a key no board should hold. */
export const EXAMPLE_KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
export const EXAMPLE_BOARD = "cell-07";
export const EXAMPLE_COUNTER = 1_754_000_000_123;

/**
 * The cmd example signed (docs/PROTOCOL.md "Command authentication") by the host's own code, the
 * bridge's encoder and signer, for board cell-07 in boot BOOT under EXAMPLE_KEY.
 */
export function signedCommandExample(): Example {
  const bytes = encodeCommand({ v: 1, id: 17, op: "set_rate", channel: "p1", rate_hz: 20, persist: true, boot: BOOT, n: EXAMPLE_COUNTER, tag: new Uint8Array(TAG_BYTES) } as Command);
  signCommand(bytes, EXAMPLE_BOARD, EXAMPLE_KEY);
  return { kind: "cmd", bytes };
}

/** The Markdown block of one example, as it stands in PROTOCOL.md. */
export function exampleMarkdown(e: Example): string {
  const { dump, diagnostic } = annotate(e.bytes);
  return [
    `<!-- example ${e.kind}: ${e.bytes.length} bytes -->`,
    "```",
    dump,
    "```",
    "",
    "```",
    diagnostic,
    "```",
    `<!-- end example ${e.kind} -->`,
  ].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const e of examples()) console.log(`${exampleMarkdown(e)}\n`);
  console.log(`${exampleMarkdown(signedCommandExample())}\n`);
}
