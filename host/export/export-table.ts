import { createHash } from "node:crypto";
import { alignChannel } from "../analysis/align.ts";
import { TIME_COLUMN } from "../bdf/units.ts";
import type { ExportMetadata, ExportQuery, ExportTable } from "../bridge/api-types.ts";
import type { BoardRecord, SampleQuery, StoredSample } from "../store/store.ts";

/** What an export reads: the board's latest birth and its samples. */
export interface ExportSource {
  boards(): Promise<BoardRecord[]>;
  samples(query: SampleQuery): Promise<StoredSample[]>;
}

export const UNIX_TIME_COLUMN = "unix_time_second";

/**
 * A board's channels on one time base: the sample times of its fastest channel with samples. Every other
 * channel is interpolated linearly between its own neighbouring samples, and only where they are
 * at most 1.5 of its sample periods apart; elsewhere the cell is null, so gaps stay gaps.
 * Columns carry the channels' BDF quantity names (`cell_pressure_pa`); two channels of one
 * quantity get their channel id in front (`t1_temperature_celsius`).
 */
export async function exportTable(source: ExportSource, query: ExportQuery): Promise<ExportTable> {
  const board = (await source.boards()).find((b) => b.board === query.board);
  if (board === undefined) throw new Error(`export: board "${query.board}" has no stored birth (check the board id with the dashboard or cellrig bridge)`);
  if (board.channels.length === 0) throw new Error(`export: board "${query.board}" announces no channels`);
  const from_us = query.from_us ?? 0;
  const to_us = query.to_us ?? Number.MAX_SAFE_INTEGER;
  const series = await Promise.all(
    board.channels.map((c) => source.samples({ board: board.board, channel: c.id, from_us, to_us, limit: Number.MAX_SAFE_INTEGER })),
  );
  // The fastest channel with samples in the range: a silent fast channel would leave no rows at all.
  const fastest = board.channels.reduce((best, c, i) => (series[i]!.length > 0 && (series[best]!.length === 0 || c.rate_hz > board.channels[best]!.rate_hz) ? i : best), 0);
  const base_us = series[fastest]!.map((s) => s.t_us);
  const start_us = base_us[0] ?? from_us;
  // Seconds since the first row: µs since 1970 as seconds would lose the microseconds.
  const base_s = Float64Array.from(base_us, (t) => (t - start_us) / 1e6);
  const names = columnNames(board.channels.map((c) => ({ id: c.id, quantity: c.quantity })));
  const aligned = board.channels.map((c, i) => {
    const samples = series[i]!;
    return alignChannel(base_s, {
      name: names[i]!,
      time_s: Float64Array.from(samples, (s) => (s.t_us - start_us) / 1e6),
      values: Float64Array.from(samples, (s) => s.value),
      maxGap_s: 1.5 / c.rate_hz,
    }).values;
  });
  const rows = base_us.map((t_us, r) => [(t_us - start_us) / 1e6, t_us / 1e6, ...aligned.map((values) => (Number.isNaN(values[r]!) ? null : values[r]!))]);
  const metadata: ExportMetadata = {
    rig: board.rig,
    board: board.board,
    boot: board.boot,
    firmware: board.fw,
    profile: board.profile,
    from_us: base_us[0] ?? from_us,
    to_us: base_us[base_us.length - 1] ?? from_us,
    channels: board.channels.map((c, i) => ({ column: names[i]!, channel: c.id, quantity: c.quantity, unit: c.unit, sensor: c.sensor, rate_hz: c.rate_hz, cal: c.cal, cfg: c.cfg })),
    configuration_hash: configurationHash(board),
    exported_ms: Date.now(),
  };
  return { columns: [TIME_COLUMN, UNIX_TIME_COLUMN, ...names], units: ["s", "s", ...board.channels.map((c) => c.unit)], rows, metadata };
}

/** BDF quantity names, with the channel id in front where two channels share a quantity. */
export function columnNames(channels: readonly { id: string; quantity: string }[]): string[] {
  const uses = new Map<string, number>();
  for (const c of channels) uses.set(c.quantity, (uses.get(c.quantity) ?? 0) + 1);
  return channels.map((c) => (uses.get(c.quantity)! > 1 ? `${c.id}_${c.quantity}` : c.quantity));
}

/** SHA-256 over what decides the meaning of the numbers: ids, quantities, sensors, rates, calibrations, cfg hashes. */
export function configurationHash(board: BoardRecord): string {
  const parts = board.channels.map((c) => ({ id: c.id, quantity: c.quantity, unit: c.unit, sensor: c.sensor, rate_hz: c.rate_hz, every: c.every, cal: c.cal, cfg: c.cfg ?? null }));
  return createHash("sha256").update(JSON.stringify({ profile: board.profile, channels: parts })).digest("hex");
}
