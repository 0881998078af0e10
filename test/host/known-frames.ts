import type { Birth } from "../../protocol/schema/birth.ts";
import { encode } from "../../scripts/fixtures/messages.ts";

/** Small frames whose every sample is predictable, for counting what a bridge stored. */

export const RIG = "rig-K";
export const SAMPLES_PER_BLOCK = 8;
const TICK_us = 1000;
const T0_us = 1_760_000_000_000_000;
const GAIN = 0.5;
const OFFSET = -3;

export const boardId = (i: number) => `kb-${i}`;
export const topicOf = (board: string, kind: string) => `cellrig/v1/${RIG}/${board}/${kind}`;

export function knownBirth(board: string, boot = 77): Birth {
  const channel = (id: string) => ({ id, quantity: "test", unit: "V", sensor: "none", rate_hz: 1000, every: 1, cal: { kind: "linear" as const, gain: GAIN, offset: OFFSET } });
  return {
    board,
    boot,
    channels: [channel("c1"), channel("c2")],
    clock: { source: "host", offset_us: 0 },
    fw: { version: "1.0.0", build: "test" },
    profile: "linux",
    rig: RIG,
    seq: 0,
    t: T0_us,
    tick_us: TICK_us,
    v: 1,
  };
}

/** Raw code of sample k of channel `channel` (0 or 1) in frame `seq` of board number `b`. */
export function code(b: number, seq: number, channel: number, k: number): number {
  return b * 1_000_000 + seq * 100 + channel * 10 + k;
}

export function frameTime_us(seq: number): number {
  return T0_us + seq * SAMPLES_PER_BLOCK * TICK_us;
}

export function knownFrame(b: number, seq: number, boot = 77): Uint8Array {
  const block = (channel: number) => Int32Array.from({ length: SAMPLES_PER_BLOCK }, (_, k) => code(b, seq, channel, k));
  return encode({ b: boot, c: [block(0), block(1)], p: TICK_us, s: seq, t: frameTime_us(seq), v: 1 });
}

/** What the store must hold for one board and channel after frames 0..frames-1: [t_us, raw, value]. */
export function expectedSamples(b: number, channel: number, frames: number): [number, number, number][] {
  const rows: [number, number, number][] = [];
  for (let seq = 0; seq < frames; seq++) {
    for (let k = 0; k < SAMPLES_PER_BLOCK; k++) {
      const raw = code(b, seq, channel, k);
      rows.push([frameTime_us(seq) + k * TICK_us, raw, GAIN * raw + OFFSET]);
    }
  }
  return rows;
}
