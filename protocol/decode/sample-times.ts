import type { Birth } from "../schema/birth.ts";
import type { Data } from "../schema/data.ts";
import { countSamples } from "./block.ts";
import { ProtocolError } from "./result.ts";

/** Sample k of channel i is at `t + (o_i + k·every_i)·p` µs (PROTOCOL.md, data). */
export function sampleTimes_us(frame: Data, birth: Birth, channelIndex: number): Float64Array {
  const block = frame.c[channelIndex];
  const channel = birth.channels[channelIndex];
  if (block === undefined || channel === undefined) {
    throw new ProtocolError({
      code: "channel_count",
      message: `channel index ${channelIndex} is out of range: frame has ${frame.c.length} block(s), birth ${birth.channels.length} channel(s)`,
    });
  }
  const offset_ticks = frame.o?.[channelIndex] ?? 0;
  const times_us = new Float64Array(countSamples(block));
  for (let k = 0; k < times_us.length; k++) {
    times_us[k] = frame.t + (offset_ticks + k * channel.every) * frame.p;
  }
  return times_us;
}
