import type { ChannelSamples } from "../../host/store/store.ts";

export const FRAMES_PER_FLUSH = 40;
/** Enough rows per flush to span many DuckDB data chunks. */
export const SAMPLES_PER_FRAME = 300;

/** Frame `seq`'s samples: times seq·1e6 + k µs, so a row's time names its frame. */
export function frameSamples(seq: number): ChannelSamples[] {
  const t_us = Float64Array.from({ length: SAMPLES_PER_FRAME }, (_, k) => seq * 1_000_000 + k);
  const raw = Int32Array.from(t_us, (_, k) => k);
  return [{ channel: "p1", t_us, raw, value: Float64Array.from(raw, (r) => r / 8) }];
}
