import build from "cellrig:build";
import { CborWriter } from "../protocol/wire/cbor-writer.ts";
import { writeDataFrame } from "../protocol/wire/data-frame.ts";
import { makeSchedule, type Schedule } from "../protocol/wire/schedule.ts";
import { Sampler, type FrameTiming } from "./acquisition/sampler.ts";
import type { DataFrameBlocks } from "../protocol/wire/data-frame.ts";
import { Alarms } from "cellrig:alarms";
import { setupBuses } from "./buses.ts";
import { makeSource } from "./channels.ts";
import { Commands } from "./commands.ts";
import { loadConfig, saveConfig } from "./config.ts";
import type { SampleSource } from "./drivers/source.ts";
import { Health } from "./health.ts";
import { boardId, newBootId } from "./identity.ts";
import { flashSegments, frameCapacity_B, ramRing_B } from "./sizing.ts";
import { KIND_ACK, KIND_ALARM, KIND_DATA, emptyMeta } from "./store/record.ts";
import { makeBirth } from "./uplink/birth.ts";
import { Uplink } from "./uplink/uplink.ts";

const DEFAULT_HEALTH_s = 60;

function boot(): void {
  const config = loadConfig();
  const board = boardId(config.board_id);
  const bootId = newBootId();
  const storage = require("Storage");
  let schedule: Schedule = makeSchedule(config.channels, config.frame_s);
  const ids: string[] = [];
  for (let i = 0; i < config.channels.length; i++) ids.push(config.channels[i].id);

  setupBuses(config.channels);
  const sources: SampleSource[] = [];
  for (let i = 0; i < config.channels.length; i++) {
    const source = makeSource(config.channels[i]);
    source.start();
    sources.push(source);
  }

  let seq = 0;
  let health: Health | undefined;
  let commands: Commands | undefined;
  const uplink = new Uplink({
    config: config,
    board: board,
    boot: bootId,
    birth: function () {
      const birth = makeBirth(config, board, bootId, seq, schedule) as { [key: string]: unknown };
      if (health) birth.health = health.forBirth();
      return birth;
    },
    command: function (cmd) {
      if (commands) commands.run(cmd);
    },
    refuse: function (id, code, message) {
      if (commands) commands.reply(id, code, message);
    },
    ram_B: ramRing_B(config),
    flashSegments: flashSegments(config, storage),
  });
  health = new Health(uplink, bootId);

  const meta = emptyMeta();
  /** Queues an alarm or a command ack: one message at `t_us`, no samples. */
  function pushMessage(kind: number, t_us: number, message: Uint8Array): void {
    meta.kind = kind;
    meta.boot = bootId;
    meta.seq = 0;
    meta.samples = 0;
    meta.first_us = meta.last_us = t_us;
    uplink.push(meta, message);
  }
  if (!Alarms && config.alarms && config.alarms.length > 0) throw new Error("this firmware was built without alarms, the stored configuration has some; build it with this rig configuration (cellrig build --config)");
  const alarms = Alarms && new Alarms(config, bootId, function (message, t_us) {
    pushMessage(KIND_ALARM, t_us, message);
  });

  let writer = new CborWriter(frameCapacity_B(schedule.capacity));
  const header = { boot: bootId, seq: 0, t0_us: 0, tick_us: schedule.tick_us, flags: 0, lateness_us: 0 };
  // the watchdog is kicked once per frame: a sampling loop stalled for three frames resets the board
  E.enableWatchdog(Math.max(10, 3 * config.frame_s + 5), false);

  function onFrame(timing: FrameTiming, blocks: DataFrameBlocks): void {
    E.kickWatchdog();
    header.seq = seq;
    header.t0_us = timing.t0_us;
    header.tick_us = schedule.tick_us;
    header.lateness_us = timing.lateness_us;
    writer.reset();
    writeDataFrame(writer, header, blocks);
    // span of the frame's samples, for the gap message should the frame be dropped
    let samples = 0;
    let first = -1;
    let last = -1;
    for (let i = 0; i < blocks.counts.length; i++) {
      const n = blocks.counts[i];
      if (n === 0) continue;
      samples += n;
      const a = blocks.offsets[i];
      const z = a + (n - 1) * schedule.every[i];
      if (first < 0 || a < first) first = a;
      if (z > last) last = z;
    }
    meta.kind = KIND_DATA;
    meta.boot = bootId;
    meta.seq = seq;
    meta.samples = samples;
    meta.first_us = timing.t0_us + first * schedule.tick_us;
    meta.last_us = timing.t0_us + last * schedule.tick_us;
    seq = (seq + 1) >>> 0;
    uplink.push(meta, writer.bytes());
    if (alarms) alarms.check(blocks, timing.t0_us, schedule);
  }

  let sampler = new Sampler(sources, schedule, onFrame);

  function notHere(channel: string): string {
    return 'channel "' + channel + '" is not on this board (it has ' + ids.join(", ") + ")";
  }

  commands = new Commands(
    {
      setRate: function (channel, rate_hz) {
        const c = ids.indexOf(channel);
        if (c < 0) return notHere(channel);
        const limit = build.board.max_sample_rate_hz as number;
        if (rate_hz > limit) return "rate " + rate_hz + " Hz is above this board's limit of " + limit + " Hz";
        const before = config.channels[c].rate_hz;
        config.channels[c].rate_hz = rate_hz;
        let next: Schedule;
        try {
          next = makeSchedule(config.channels, config.frame_s);
        } catch (err) {
          config.channels[c].rate_hz = before;
          return err instanceof Error ? err.message : String(err);
        }
        // the frame in progress is cut short and sent; the new schedule starts with the next frame
        sampler.stop();
        schedule = next;
        writer = new CborWriter(frameCapacity_B(schedule.capacity));
        sampler = new Sampler(sources, schedule, onFrame);
        sampler.start();
        const running = global["cellrig"] as { sampler: Sampler; writer: CborWriter };
        running.sampler = sampler;
        running.writer = writer;
        uplink.announce();
        return "";
      },
      setThreshold: function (channel, rule, threshold) {
        if (!alarms || !alarms.setThreshold(channel, rule, threshold)) return 'channel "' + channel + '" has no alarm rule "' + rule + '"';
        const rules = config.alarms ? config.alarms : [];
        for (let r = 0; r < rules.length; r++) if (rules[r].name === rule && rules[r].channel === channel) rules[r].threshold = threshold;
        return "";
      },
      setCalibration: function (channel, cal) {
        const c = ids.indexOf(channel);
        if (c < 0) return notHere(channel);
        const current = config.channels[c].calibration;
        if (cal.kind !== current.kind) return 'channel "' + channel + '" is calibrated as "' + current.kind + '"; send a calibration of that kind';
        config.channels[c].calibration = cal as typeof current;
        if (alarms && cal.kind === "linear") alarms.setCalibration(c, cal.gain as number, cal.offset as number);
        uplink.announce();
        return "";
      },
      rebirth: function () {
        uplink.announce();
      },
      resendFrom: function (b) {
        uplink.store.resend();
        return b === bootId || uplink.store.waiting() > 0 ? "" : "boot " + b + " is not this boot (" + bootId + ") and nothing of it is stored";
      },
      reboot: function () {
        E.reboot();
      },
      persist: function () {
        return saveConfig(config);
      },
    },
    bootId,
    function (payload) {
      pushMessage(KIND_ACK, Math.round(getTime() * 1e6), payload);
    },
  );

  const healthFigures = health;
  setInterval(function () {
    healthFigures.publish();
  }, (config.health_s ? config.health_s : DEFAULT_HEALTH_s) * 1000);

  // the running state, reachable from the console (and from the simulator's JsVar estimate, which
  // cannot see into closures) by these keys: `cellrig.header.seq` and so on (the members of the
  // classes behind them have short names in a minified bundle)
  const state = { config: config, uplink: uplink, sampler: sampler, alarms: alarms, commands: commands, health: health, writer: writer, header: header, meta: meta };
  global["cellrig"] = state;
  uplink.start();
  sampler.start();
  print("cellrig: board " + board + " of rig " + config.rig + " sampling " + config.channels.length + " channel(s), boot " + bootId);
}

boot();
