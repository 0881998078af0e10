import build from "cellrig:build";
import type { RigConfig } from "../../boards/rig-schema.ts";
import type { Schedule } from "../../protocol/wire/schedule.ts";
import { PROTOCOL_VERSION } from "../../protocol/wire/data-frame.ts";

/** The birth message (docs/PROTOCOL.md "birth") as a plain object for the generic CBOR encoder. */
export function makeBirth(config: RigConfig, board: string, boot: number, nextSeq: number, schedule: Schedule): object {
  const channels: object[] = [];
  for (let i = 0; i < config.channels.length; i++) {
    const ch = config.channels[i];
    channels.push({
      id: ch.id,
      quantity: ch.quantity,
      unit: ch.unit,
      sensor: ch.sensor,
      rate_hz: ch.rate_hz,
      every: schedule.every[i],
      raw: "i32",
      cal: ch.calibration,
      cfg: E.CRC32(JSON.stringify(ch)) >>> 0,
    });
  }
  return {
    v: PROTOCOL_VERSION,
    board: board,
    boot: boot,
    channels: channels,
    clock: { source: "free", offset_us: 0 },
    fw: { version: build.version, build: build.hash },
    profile: build.board.id,
    rig: config.rig,
    seq: nextSeq,
    t: Math.round(getTime() * 1e6),
    tick_us: schedule.tick_us,
  };
}
