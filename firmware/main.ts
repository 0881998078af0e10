import { CborWriter } from "../protocol/wire/cbor-writer.ts";
import { writeDataFrame } from "../protocol/wire/data-frame.ts";
import { makeSchedule } from "../protocol/wire/schedule.ts";
import { Sampler } from "./acquisition/sampler.ts";
import { setupBuses } from "./buses.ts";
import { makeSource } from "./channels.ts";
import { loadConfig } from "./config.ts";
import type { SampleSource } from "./drivers/source.ts";
import { boardId, newBootId } from "./identity.ts";
import { makeBirth } from "./uplink/birth.ts";
import { Uplink } from "./uplink/uplink.ts";

/** Bytes per raw sample the frame buffer allows for: a zigzag varint of a 32-bit code is at most 5. */
const MAX_BYTES_PER_SAMPLE = 5;
/** Frame header and per-block heads, bytes. */
const FRAME_OVERHEAD = 64;
const OUTBOX_FRAMES = 16;

function boot(): void {
  const config = loadConfig();
  const board = boardId(config.board_id);
  const bootId = newBootId();
  const schedule = makeSchedule(config.channels, config.frame_s);

  setupBuses(config.channels);
  const sources: SampleSource[] = [];
  for (let i = 0; i < config.channels.length; i++) {
    const source = makeSource(config.channels[i]);
    source.start();
    sources.push(source);
  }

  let seq = 0;
  const uplink = new Uplink({
    rig: config.rig,
    board: board,
    boot: bootId,
    host: config.broker.host,
    port: config.broker.port,
    keepAlive_s: config.broker.keepalive_s ? config.broker.keepalive_s : 30,
    username: config.broker.username,
    birth: function () {
      return makeBirth(config, board, bootId, seq, schedule);
    },
    outboxFrames: OUTBOX_FRAMES,
  });

  let capacity = FRAME_OVERHEAD;
  for (let i = 0; i < schedule.capacity.length; i++) capacity += 8 + schedule.capacity[i] * MAX_BYTES_PER_SAMPLE;
  const writer = new CborWriter(capacity);
  const header = { boot: bootId, seq: 0, t0_us: 0, tick_us: schedule.tick_us, flags: 0, lateness_us: 0 };

  const sampler = new Sampler(sources, schedule, function (timing, blocks) {
    header.seq = seq;
    header.t0_us = timing.t0_us;
    header.lateness_us = timing.lateness_us;
    writer.reset();
    writeDataFrame(writer, header, blocks);
    seq = (seq + 1) >>> 0;
    uplink.send(writer.bytes());
  });

  uplink.start();
  sampler.start();
  print("cellrig: board " + board + " of rig " + config.rig + " sampling " + config.channels.length + " channel(s), boot " + bootId);
}

boot();
