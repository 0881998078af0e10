import type { Basis } from "./basis.ts";

export interface ChannelSeries {
  name: string;
  /** Timestamps as recorded, s (same clock as the time base). */
  time_s: Float64Array;
  values: Float64Array;
  /** How late the timestamps are: a sample stamped t describes the instant t − lag_s, s. */
  lag_s?: number;
  /** Samples further apart than this are not interpolated between: the time base gets NaN there, s. */
  maxGap_s: number;
  /** Nonzero samples are not used (flagged by the board or bridge). */
  exclude?: Uint8Array;
}

export interface AlignedBasis extends Basis {
  /** Samples dropped because their time did not increase. */
  outOfOrder: number;
  /** Gaps longer than maxGap_s. */
  gaps: number;
  /** Points of the time base left NaN. */
  pointsWithoutData: number;
}

export interface Aligned {
  time_s: Float64Array;
  columns: Record<string, Float64Array>;
  basis: Record<string, AlignedBasis>;
}

/** start, start + step, … up to and including end (within a millionth of a step), s. */
export function uniformTimeBase(start_s: number, end_s: number, step_s: number): Float64Array {
  if (!(step_s > 0)) throw new Error(`time base step must be positive, got ${step_s} s`);
  const count = Math.floor((end_s - start_s) / step_s + 1e-6) + 1;
  const out = new Float64Array(Math.max(0, count));
  for (let k = 0; k < out.length; k++) out[k] = start_s + k * step_s;
  return out;
}

/**
 * Puts every channel on one time base. Between two usable samples no further apart than the
 * channel's maxGap_s the value is interpolated linearly; anywhere else (gaps, before the first
 * sample, after the last) it is NaN: gaps stay gaps, nothing is invented.
 */
export function alignChannels(base_s: Float64Array, channels: readonly ChannelSeries[]): Aligned {
  const columns: Record<string, Float64Array> = {};
  const basis: Record<string, AlignedBasis> = {};
  for (const channel of channels) {
    if (columns[channel.name] !== undefined) throw new Error(`channel "${channel.name}" is given twice; names must be unique`);
    const aligned = alignChannel(base_s, channel);
    columns[channel.name] = aligned.values;
    basis[channel.name] = aligned.basis;
  }
  return { time_s: base_s, columns, basis };
}

export function alignChannel(base_s: Float64Array, channel: ChannelSeries): { values: Float64Array; basis: AlignedBasis } {
  const { time_s, values, exclude, maxGap_s } = channel;
  if (time_s.length !== values.length) {
    throw new Error(`channel "${channel.name}": ${time_s.length} timestamps but ${values.length} values; they must pair up`);
  }
  const lag_s = channel.lag_s ?? 0;
  const t = new Float64Array(time_s.length);
  const v = new Float64Array(time_s.length);
  let count = 0;
  let excluded = 0;
  let outOfOrder = 0;
  for (let i = 0; i < time_s.length; i++) {
    const ti = time_s[i] - lag_s;
    if ((exclude !== undefined && exclude[i] !== 0) || !Number.isFinite(ti) || !Number.isFinite(values[i])) {
      excluded++;
      continue;
    }
    if (count > 0 && !(ti > t[count - 1])) {
      outOfOrder++;
      continue;
    }
    t[count] = ti;
    v[count] = values[i];
    count++;
  }
  let covered_s = 0;
  let gapTime_s = 0;
  let gaps = 0;
  for (let k = 1; k < count; k++) {
    const dt = t[k] - t[k - 1];
    if (dt <= maxGap_s) covered_s += dt;
    else {
      gapTime_s += dt;
      gaps++;
    }
  }

  const out = new Float64Array(base_s.length);
  let missing = 0;
  let k = 0;
  for (let j = 0; j < base_s.length; j++) {
    const tau = base_s[j];
    while (k < count && t[k] < tau) k++;
    // Now t[k-1] < tau <= t[k].
    let value = Number.NaN;
    if (k < count && t[k] === tau) value = v[k];
    else if (k > 0 && k < count && t[k] - t[k - 1] <= maxGap_s) {
      const f = (tau - t[k - 1]) / (t[k] - t[k - 1]);
      value = v[k - 1] + f * (v[k] - v[k - 1]);
    }
    if (Number.isNaN(value)) missing++;
    out[j] = value;
  }
  return {
    values: out,
    basis: { samplesUsed: count, samplesExcluded: excluded + outOfOrder, timeCovered_s: covered_s, timeExcluded_s: gapTime_s, outOfOrder, gaps, pointsWithoutData: missing },
  };
}
