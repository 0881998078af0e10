import type { ChannelSamples } from "./store.ts";

/**
 * Checked before a frame's rows are buffered, so a bad frame is refused on its own, leaves nothing
 * half-written and cannot fail the commit of the batch around it.
 */
export function checkSamples(board: string, samples: readonly ChannelSamples[]): void {
  for (const channel of samples) {
    const n = channel.t_us.length;
    if (channel.raw.length !== n || channel.value.length !== n) {
      throw new Error(`channel "${channel.channel}" of board "${board}": ${n} times, ${channel.raw.length} raw codes and ${channel.value.length} values; all three must match`);
    }
    for (let k = 0; k < n; k++) {
      if (!Number.isSafeInteger(channel.t_us[k])) {
        throw new Error(`channel "${channel.channel}" of board "${board}": sample time ${channel.t_us[k]} µs is not a whole number of microseconds within ±2^53; times are stored as integers`);
      }
    }
  }
}
