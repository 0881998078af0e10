import type { Ads1115Channel } from "../../boards/rig-schema.ts";
import { Ads1115Chip, Ads1115Input } from "../drivers/ads1115.ts";
import type { SampleSource } from "../drivers/source.ts";
import { lookup } from "./lookup.ts";

// Chips shared by several channels (inputs or photodiode signals), by bus and address.
const chips: { [key: string]: Ads1115Chip } = {};

/** An input of an ADS1115; channels on one chip share it and are scanned. */
export function ads1115Input(ch: { id: string; bus: string; address: number; rate_hz: number; input: Ads1115Channel["input"]; range_V: number }): Ads1115Input {
  const key = ch.bus + "@" + ch.address;
  let chip = chips[key];
  if (!chip) {
    chip = new Ads1115Chip({ busName: ch.bus, bus: lookup<I2C>(ch.bus, "bus"), address: ch.address, period_s: 1 / ch.rate_hz });
    chips[key] = chip;
  }
  return new Ads1115Input(chip, ch.id, ch.input, ch.range_V);
}

export function ads1115Source(ch: Ads1115Channel): SampleSource {
  return ads1115Input(ch);
}
