import type { ChannelSamples } from "./store.ts";

/** Checked before a frame's rows are buffered, so a bad frame leaves nothing half-written. */
export function checkLengths(board: string, samples: readonly ChannelSamples[]): void {
  for (const channel of samples) {
    const n = channel.t_us.length;
    if (channel.raw.length !== n || channel.value.length !== n) {
      throw new Error(`channel "${channel.channel}" of board "${board}": ${n} times, ${channel.raw.length} raw codes and ${channel.value.length} values; all three must match`);
    }
  }
}
