import type { Birth } from "../schema/birth.ts";
import type { Data } from "../schema/data.ts";
import { checkBlock } from "./block.ts";
import { fail, type DecodeError } from "./result.ts";

/**
 * Over a minute of samples at the fastest board profile's 1 kHz, far more than one frame holds,
 * yet small enough that a corrupted block cannot make the host allocate much.
 */
export const MAX_SAMPLES_PER_BLOCK = 65536;
/** A frame spanning more than a day of samples is corrupted, not slow. */
export const MAX_FRAME_SPAN_us = 86_400_000_000;

const PER_CHANNEL_KEYS = ["o", "q"] as const;

/**
 * What the schema cannot say about a data frame: per-channel arrays agree in length, every block
 * decodes, sample counts and times are plausible and, when the birth is known, the frame belongs to
 * that boot and has one block per channel. Returns undefined when the frame is sound.
 */
export function checkData(frame: Data, birth: Birth | undefined): DecodeError | undefined {
  const channels = frame.c.length;
  for (const key of PER_CHANNEL_KEYS) {
    const perChannel = frame[key];
    if (perChannel !== undefined && perChannel.length !== channels) {
      return fail("channel_count", `data field /${key} has ${perChannel.length} entries for ${channels} block(s); expected one per block`, `/${key}`).error;
    }
  }
  if (birth !== undefined) {
    if (frame.b !== birth.boot) {
      return fail("unknown_boot", `data frame is from boot ${frame.b} but the board's birth is for boot ${birth.boot}; waiting for the new birth`, "/b").error;
    }
    if (channels !== birth.channels.length) {
      return fail("channel_count", `data frame has ${channels} block(s) but the birth lists ${birth.channels.length} channel(s)`, "/c").error;
    }
  }
  for (let i = 0; i < channels; i++) {
    const path = `/c/${i}`;
    const count = checkBlock(frame.c[i]!, path);
    if (typeof count !== "number") return count;
    if (count > MAX_SAMPLES_PER_BLOCK) {
      return fail("implausible", `block ${path} holds ${count} samples; at most ${MAX_SAMPLES_PER_BLOCK} fit in one frame`, path).error;
    }
    if (count === 0) continue;
    const every = birth?.channels[i]?.every ?? 1;
    const lastOffset_us = ((frame.o?.[i] ?? 0) + (count - 1) * every) * frame.p;
    if (lastOffset_us > MAX_FRAME_SPAN_us || frame.t + lastOffset_us > Number.MAX_SAFE_INTEGER) {
      return fail("implausible", `block ${path}: its last sample would be ${lastOffset_us} µs after the frame start; a frame spans at most ${MAX_FRAME_SPAN_us} µs`, path).error;
    }
  }
  return undefined;
}
