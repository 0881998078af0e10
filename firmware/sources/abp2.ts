import type { Abp2Channel } from "../../boards/rig-schema.ts";
import { Abp2 } from "../drivers/abp2.ts";
import type { SampleSource } from "../drivers/source.ts";
import { lookup } from "./lookup.ts";

export function abp2Source(ch: Abp2Channel): SampleSource {
  return new Abp2({ channel: ch.id, busName: ch.bus, bus: lookup<I2C>(ch.bus, "bus"), address: ch.address, period_s: 1 / ch.rate_hz });
}
