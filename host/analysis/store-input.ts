import type { SampleStore } from "../store/store.ts";
import { alignChannels, uniformTimeBase, type ChannelSeries } from "./align.ts";
import type { CellSeries } from "./cell.ts";
import { ZERO_CELSIUS_K } from "./constants.ts";

/** Channel quantities (BDF-style names, physics.md) the analysis takes from a board, by role. */
const ROLES = {
  voltage: ["voltage_volt"],
  current: ["current_ampere"],
  temperature: ["surface_temperature_celsius", "ambient_temperature_celsius", "surface_temperature_kelvin"],
  pressure: ["cell_pressure_pa"],
  psd1a: ["psd1_a_volt"],
  psd1b: ["psd1_b_volt"],
  psd2a: ["psd2_a_volt"],
  psd2b: ["psd2_b_volt"],
} as const;

type Role = keyof typeof ROLES;

/** Samples fetched per query while paging through a channel. */
const PAGE = 100_000;

export interface StoreCell {
  series: CellSeries;
  /** Channel id used for each role. */
  channels: Partial<Record<Role, string>>;
  /** Step of the common time base, s. */
  step_s: number;
  maxGap_s: number;
}

/**
 * Reads one board's channels from a store and puts them on one time base (the voltage channel's
 * median interval; gaps longer than five intervals stay gaps). Channels are found by their
 * quantity's BDF-style name; values are in the unit the name carries. Times are seconds since
 * the first voltage sample.
 */
export async function readStoreCell(store: SampleStore, board: string, progress: (line: string) => void = () => {}): Promise<StoreCell> {
  const births = await store.channels(board);
  if (births.length === 0) {
    const known = (await store.boards()).map((b) => b.board);
    throw new Error(`board "${board}" has no birth in the store (boards there: ${known.join(", ") || "none"}); check --board`);
  }
  const ids: Partial<Record<Role, string>> = {};
  for (const role of Object.keys(ROLES) as Role[]) {
    const channel = births.find((c) => (ROLES[role] as readonly string[]).includes(c.quantity));
    if (channel !== undefined) ids[role] = channel.id;
  }
  for (const role of ["voltage", "current"] as const) {
    if (ids[role] === undefined) {
      throw new Error(
        `board "${board}" has no channel with quantity ${ROLES[role].join(" or ")} (its channels: ${births.map((c) => `${c.id}=${c.quantity}`).join(", ")}); the analysis needs voltage and current`,
      );
    }
  }
  const raw: Partial<Record<Role, { time_s: Float64Array; values: Float64Array }>> = {};
  for (const role of Object.keys(ids) as Role[]) {
    const channel = ids[role] as string;
    progress(`reading ${board}/${channel} (${role})`);
    const samples = await readAll(store, board, channel);
    raw[role] = { time_s: samples.t_us, values: samples.value };
  }
  const voltage = raw.voltage as { time_s: Float64Array; values: Float64Array };
  if (voltage.time_s.length < 2) throw new Error(`board "${board}" channel ${ids.voltage} has ${voltage.time_s.length} samples; at least two are needed`);
  const origin_us = voltage.time_s[0];
  for (const role of Object.keys(raw) as Role[]) {
    const series = raw[role] as { time_s: Float64Array; values: Float64Array };
    series.time_s = series.time_s.map((t) => (t - origin_us) / 1e6);
  }
  const step_s = medianInterval_s(voltage.time_s);
  const maxGap_s = 5 * step_s;
  const channels: ChannelSeries[] = (Object.keys(raw) as Role[]).map((role) => ({ name: role, ...(raw[role] as { time_s: Float64Array; values: Float64Array }), maxGap_s }));
  const base = uniformTimeBase(0, voltage.time_s[voltage.time_s.length - 1], step_s);
  const aligned = alignChannels(base, channels);
  const c = aligned.columns;
  const series: CellSeries = { time_s: aligned.time_s, voltage_V: c.voltage, current_A: c.current };
  if (c.temperature !== undefined) {
    const kelvin = births.find((ch) => ch.id === ids.temperature)?.quantity.endsWith("_kelvin") ?? false;
    series.temperature_K = kelvin ? c.temperature : c.temperature.map((t) => t + ZERO_CELSIUS_K);
  }
  if (c.pressure !== undefined) series.pressure_Pa = c.pressure;
  if (c.psd1a !== undefined && c.psd1b !== undefined && c.psd2a !== undefined && c.psd2b !== undefined) {
    series.photodiodes = { beam1: { a_V: c.psd1a, b_V: c.psd1b }, beam2: { a_V: c.psd2a, b_V: c.psd2b } };
  }
  return { series, channels: ids, step_s, maxGap_s };
}

async function readAll(store: SampleStore, board: string, channel: string): Promise<{ t_us: Float64Array; value: Float64Array }> {
  const times: number[] = [];
  const values: number[] = [];
  let from_us: number | undefined;
  for (;;) {
    const page = await store.samples({ board, channel, from_us, limit: PAGE });
    for (const sample of page) {
      times.push(sample.t_us);
      values.push(sample.value);
    }
    if (page.length < PAGE) break;
    from_us = page[page.length - 1].t_us + 1;
  }
  return { t_us: Float64Array.from(times), value: Float64Array.from(values) };
}

function medianInterval_s(time_s: Float64Array): number {
  const intervals: number[] = [];
  for (let i = 1; i < time_s.length; i++) if (time_s[i] > time_s[i - 1]) intervals.push(time_s[i] - time_s[i - 1]);
  intervals.sort((a, b) => a - b);
  return intervals[intervals.length >> 1] ?? 1;
}
