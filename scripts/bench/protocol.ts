import { Decoder, type Options } from "cbor-x";
import { decodeMessage } from "../../protocol/decode/message.ts";
import type { Birth } from "../../protocol/schema/birth.ts";
import { bootTestBundle } from "../fixtures/board-entry.ts";
import { compared, type Benchmark, type Figure } from "./figure.ts";

// Wire efficiency and host decode speed of protocol v1, on payloads the firmware's encoder writes
// on the simulated board.

const CHANNELS = 8;
const RATE_HZ = 10;
const FRAME_S = 1;
const FRAMES = 60;
const TICK_us = 100_000;
const START_us = 1_800_000_000_000_000;

/**
 * The default rig's signals as 16-bit ADS1115 codes: each channel a slow drift (a cell breathing
 * over minutes, a few hundred codes peak to peak) around its own level, plus ±2 LSB of uniform noise.
 */
function signals(frame: number, random: () => number): number[][] {
  const out: number[][] = [];
  for (let ch = 0; ch < CHANNELS; ch++) {
    const level = 4000 + ch * 3500;
    const block: number[] = [];
    for (let k = 0; k < RATE_HZ * FRAME_S; k++) {
      const t_s = frame * FRAME_S + k / RATE_HZ;
      block.push(Math.round(level + 250 * Math.sin((2 * Math.PI * t_s) / (120 + 30 * ch))) + Math.floor(random() * 5) - 2);
    }
    out.push(block);
  }
  return out;
}

/** The JSON baseline: one object per sample, `{"t":<µs>,"ch":"<id>","v":<raw code>}`, as many MQTT bridges publish. */
function jsonPerSample_B(blocks: number[][], t0_us: number): number {
  let bytes = 0;
  blocks.forEach((block, ch) => block.forEach((v, k) => (bytes += Buffer.byteLength(JSON.stringify({ t: t0_us + k * TICK_us, ch: `ch${ch}`, v })))));
  return bytes;
}

function birth(): Birth {
  return {
    board: "bench", boot: 3_000_000_001, rig: "demo", profile: "linux", seq: 0, t: START_us, tick_us: TICK_us, v: 1,
    clock: { source: "ntp", offset_us: 0 }, fw: { version: "0", build: "0" },
    channels: Array.from({ length: CHANNELS }, (_, i) => ({ id: `ch${i}`, quantity: "cell_pressure_pa", unit: "Pa", sensor: "ads1115", rate_hz: RATE_HZ, every: 1, cal: { kind: "linear" as const, gain: 31.25, offset: -125000 } })),
  };
}

/** Calls per second of `run` over about `duration_ms`, after a warm-up. */
function rate_per_s(run: () => void, duration_ms: number): number {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < duration_ms) {
    for (let i = 0; i < 100; i++) run();
    n += 100;
  }
  return (n * 1000) / (performance.now() - start);
}

/**
 * Both rates in alternating rounds, each the median of its rounds: on a busy machine a burst of load
 * then hits both sides alike instead of skewing whichever ran during it.
 */
function alternating(a: () => void, b: () => void, rounds = 7): [number, number] {
  rate_per_s(a, 100);
  rate_per_s(b, 100);
  const ra: number[] = [];
  const rb: number[] = [];
  for (let r = 0; r < rounds; r++) {
    ra.push(rate_per_s(a, 150));
    rb.push(rate_per_s(b, 150));
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[xs.length >> 1]!;
  return [median(ra), median(rb)];
}

export const protocolBenchmark: Benchmark = {
  name: "protocol",
  async run(progress) {
    progress("building the encoder bundle and booting it on a simulated board");
    const board = await bootTestBundle("scripts/fixtures/entries/messages.ts");
    const frames: Uint8Array[] = [];
    let state = 12345;
    const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    let cbor_B = 0;
    let json_B = 0;
    try {
      for (let f = 0; f < FRAMES; f++) {
        const blocks = signals(f, random);
        const t0_us = START_us + f * FRAME_S * 1e6;
        const header = { boot: 3_000_000_001, seq: (4_294_967_266 + f) % 4_294_967_296, t0_us, tick_us: TICK_us, flags: 0, lateness_us: 1200 };
        const bytes = (board.call("data", header, { samples: blocks, offsets: Array(CHANNELS).fill(0), quality: Array(CHANNELS).fill(0) }) as Uint8Array).slice();
        frames.push(bytes);
        cbor_B += bytes.length;
        json_B += jsonPerSample_B(blocks, t0_us);
      }
    } finally {
      board.close();
    }
    const samples = FRAMES * CHANNELS * RATE_HZ * FRAME_S;
    const context = { birth: { ...birth(), boot: 3_000_000_001 } };
    for (const bytes of frames) {
      const r = decodeMessage("data", bytes, context);
      if (!r.ok) throw new Error(`the bench's own frame does not decode: ${r.error.message}`);
    }

    progress("decoding frames");
    const cborX = new Decoder({ useRecords: false, mapsAsObjects: true, int64AsNumber: true } as Options);
    let i = 0;
    const [full, bare] = alternating(
      () => void decodeMessage("data", frames[i++ % FRAMES]!, context),
      () => void cborX.decode(frames[i++ % FRAMES]!),
    );

    const note = `${CHANNELS} ch × ${RATE_HZ} Hz, ${FRAME_S} s frames, 16-bit codes (slow drift ±250 + ±2 LSB noise), MQTT payload incl. all headers`;
    const figures: Figure[] = [
      compared("wire.bytes_per_sample", cbor_B / samples, 2, "B/sample", `${note}; baseline raw 2 B/sample`),
      compared("wire.bytes_per_sample_vs_json", cbor_B / samples, json_B / samples, "B/sample", 'baseline one JSON object per sample {"t":µs,"ch":id,"v":code}'),
      compared("protocol.decode_frames_per_s", full, bare, "frames/s", "decodeMessage (scan, cbor-x, schema, block decoding) vs cbor-x decode alone"),
    ];
    return figures;
  },
};
