import type { AlarmRule, RigConfig } from "../../boards/rig-schema.ts";
import type { DataFrameBlocks } from "../../protocol/wire/data-frame.ts";
import { writeAlarm, type AlarmMessage, type AlarmState } from "../../protocol/wire/alarm.ts";
import { QUALITY_LOW_OPTICAL_SUM } from "../../protocol/wire/data-frame.ts";
import { CborWriter } from "../../protocol/wire/cbor-writer.ts";
import type { Schedule } from "../../protocol/wire/schedule.ts";

const HIGH = 0;
const LOW = 1;
const RISE = 2;
const STALE = 3;
const LOST_SUM = 4;

/** An alarm message (raised or cleared), encoded; the caller queues it (alarms go through the store like frames). */
export type AlarmSink = (message: Uint8Array, t_us: number) => void;

/**
 * Edge alarms, evaluated on every sample of each finished frame (so at most one frame after the
 * sample that trips them) with constant work per sample and no allocation; only a change of state
 * encodes a message. A rule is raised once when its condition has held for hold_s, and cleared once
 * when the condition ends (high/low: `hysteresis` back inside the threshold); each is published.
 * lost_sum follows the detector's low-optical-sum quality flag, which the sampler sets per frame.
 */
export class Alarms {
  private readonly channel: Int16Array;
  private readonly kind: Int8Array;
  private readonly threshold: Float64Array;
  private readonly hysteresis: Float64Array;
  private readonly hold_us: Float64Array;
  private readonly gain: Float64Array;
  private readonly offset: Float64Array;
  private readonly active: Int8Array;
  /** When the condition began (µs), or -1. */
  private readonly since_us: Float64Array;
  /** The previous sample of the rule's channel: value (rise) or raw code (stale), and its time. */
  private readonly previous: Float64Array;
  private readonly previous_us: Float64Array;
  private readonly names: string[] = [];
  private readonly channelIds: string[] = [];
  private readonly writer = new CborWriter(160);
  private readonly message: AlarmMessage;
  private readonly sink: AlarmSink;
  /** Alarm messages sent in this boot. */
  sent = 0;

  constructor(config: RigConfig, boot: number, sink: AlarmSink) {
    const rules: AlarmRule[] = config.alarms ? config.alarms : [];
    const n = rules.length;
    this.channel = new Int16Array(n);
    this.kind = new Int8Array(n);
    this.threshold = new Float64Array(n);
    this.hysteresis = new Float64Array(n);
    this.hold_us = new Float64Array(n);
    this.gain = new Float64Array(n);
    this.offset = new Float64Array(n);
    this.active = new Int8Array(n);
    this.since_us = new Float64Array(n).fill(-1);
    this.previous = new Float64Array(n);
    this.previous_us = new Float64Array(n).fill(-1);
    this.sink = sink;
    this.message = { boot: boot, n: 0, state: "raised", channel: "", rule: "", value: 0, threshold: 0, t_us: 0 };
    for (let r = 0; r < n; r++) {
      const rule = rules[r];
      let c = -1;
      for (let i = 0; i < config.channels.length; i++) if (config.channels[i].id === rule.channel) c = i;
      if (c < 0) throw new Error('alarm "' + rule.name + '": channel "' + rule.channel + '" is not in the rig');
      this.channel[r] = c;
      this.kind[r] = rule.kind === "high" ? HIGH : rule.kind === "low" ? LOW : rule.kind === "rise" ? RISE : rule.kind === "stale" ? STALE : LOST_SUM;
      this.threshold[r] = rule.threshold;
      this.hysteresis[r] = rule.hysteresis ? rule.hysteresis : 0;
      this.hold_us[r] = rule.hold_s ? rule.hold_s * 1e6 : 0;
      this.names.push(rule.name);
      this.channelIds.push(rule.channel);
      const cal = config.channels[c].calibration;
      if (rule.kind === "lost_sum") continue;
      if (cal.kind !== "linear") throw new Error('alarm "' + rule.name + '": channel "' + rule.channel + '" has a ' + cal.kind + " calibration; alarms need a linear one");
      this.calibrate(r, cal.gain, cal.offset);
    }
  }

  private calibrate(r: number, gain: number, offset: number): void {
    this.gain[r] = gain;
    this.offset[r] = offset;
  }

  /** A new calibration for a channel (set_calibration). */
  setCalibration(channel: number, gain: number, offset: number): void {
    for (let r = 0; r < this.channel.length; r++) if (this.channel[r] === channel) this.calibrate(r, gain, offset);
  }

  /** A new threshold for the named rule of a channel; false when there is no such rule. */
  setThreshold(channelId: string, rule: string, threshold: number): boolean {
    for (let r = 0; r < this.names.length; r++) {
      if (this.names[r] === rule && this.channelIds[r] === channelId) {
        this.threshold[r] = threshold;
        return true;
      }
    }
    return false;
  }

  /** Runs every rule over the samples of one frame. */
  check(blocks: DataFrameBlocks, t0_us: number, schedule: Schedule): void {
    const tick = schedule.tick_us;
    for (let r = 0; r < this.channel.length; r++) {
      const c = this.channel[r];
      const samples = blocks.samples[c];
      const count = blocks.counts[c];
      const every = schedule.every[c];
      const first_us = t0_us + blocks.offsets[c] * tick;
      if (this.kind[r] === LOST_SUM) {
        if (count > 0) this.edge(r, (blocks.quality[c] & QUALITY_LOW_OPTICAL_SUM) !== 0, 0, first_us);
        continue;
      }
      for (let k = 0; k < count; k++) this.sample(r, samples[k], first_us + k * every * tick);
    }
  }

  private sample(r: number, raw: number, t_us: number): void {
    const value = this.gain[r] * raw + this.offset[r];
    const kind = this.kind[r];
    const active = this.active[r] === 1;
    const th = this.threshold[r];
    const back = active ? this.hysteresis[r] : 0;
    let on: boolean;
    let shown = value;
    if (kind === HIGH) on = value > th - back;
    else if (kind === LOW) on = value < th + back;
    else if (kind === RISE) {
      const dt_us = t_us - this.previous_us[r];
      shown = this.previous_us[r] < 0 ? 0 : ((value - this.previous[r]) * 1e6) / dt_us;
      on = this.previous_us[r] >= 0 && shown > th - back;
      this.previous[r] = value;
      this.previous_us[r] = t_us;
    } else {
      if (this.previous_us[r] < 0 || raw !== this.previous[r]) {
        this.previous[r] = raw;
        this.previous_us[r] = t_us;
      }
      shown = (t_us - this.previous_us[r]) / 1e6;
      on = shown >= th;
    }
    this.edge(r, on, shown, t_us);
  }

  /** The rule's condition holds (on) or not at t_us: raises it after hold_s, clears it when it ends. */
  private edge(r: number, on: boolean, value: number, t_us: number): void {
    const lostSum = this.kind[r] === LOST_SUM;
    if (!on) {
      this.since_us[r] = -1;
      if (this.active[r] === 0) return;
      this.active[r] = 0;
      this.send(r, "cleared", lostSum ? 0 : value, t_us);
      return;
    }
    if (this.since_us[r] < 0) this.since_us[r] = t_us;
    if (this.active[r] === 1 || t_us - this.since_us[r] < this.hold_us[r]) return;
    this.active[r] = 1;
    this.send(r, "raised", lostSum ? 1 : value, t_us);
  }

  private send(r: number, state: AlarmState, value: number, t_us: number): void {
    const m = this.message;
    m.n = this.sent++;
    m.state = state;
    m.channel = this.channelIds[r];
    m.rule = this.names[r];
    m.value = value;
    m.threshold = this.threshold[r];
    m.t_us = t_us;
    this.writer.reset();
    writeAlarm(this.writer, m);
    this.sink(this.writer.bytes(), t_us);
  }
}
