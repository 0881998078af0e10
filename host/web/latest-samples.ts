import type { Bridge } from "../bridge/bridge.ts";
import type { SampleStore, StoredSample } from "../store/store.ts";

export interface LatestSamples {
  /** The newest sample of a channel: from the live feed once seen, else read from the store once. */
  get(board: string, channel: string): Promise<StoredSample | undefined>;
  close(): void;
}

/**
 * Every page load lists each channel's newest sample, and finding it in a store of weeks is a scan;
 * the bridge's live samples keep the answer current after the first read.
 */
export function latestSamples(bridge: Bridge, store: SampleStore): LatestSamples {
  const known = new Map<string, StoredSample | undefined>();
  const remove = bridge.addListener((event) => {
    if (event.type !== "samples") return;
    for (const c of event.channels) {
      const last = c.t_us.length - 1;
      if (last < 0) continue;
      const key = `${event.board}/${c.channel}`;
      const before = known.get(key);
      if (before === undefined || c.t_us[last]! >= before.t_us) known.set(key, { t_us: c.t_us[last]!, raw: c.raw[last]!, value: c.value[last]! });
    }
  });
  return {
    async get(board, channel) {
      const key = `${board}/${channel}`;
      const cached = known.get(key);
      if (cached !== undefined) return cached;
      const stored = await store.latest(board, channel);
      // A live sample may have arrived while the store was read; keep the newer.
      const now = known.get(key);
      if (stored !== undefined && (now === undefined || stored.t_us > now.t_us)) known.set(key, stored);
      return known.get(key);
    },
    close: remove,
  };
}
