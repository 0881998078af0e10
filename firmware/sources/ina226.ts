import type { Ina226Channel } from "../../boards/rig-schema.ts";
import { Ina226Chip, Ina226Register } from "../drivers/ina226.ts";
import type { SampleSource } from "../drivers/source.ts";
import { lookup } from "./lookup.ts";

// Chips shared by their current, bus-voltage and power channels, by bus and address.
const chips: { [key: string]: Ina226Chip } = {};

export function ina226Source(ch: Ina226Channel): SampleSource {
  const key = ch.bus + "@" + ch.address;
  let chip = chips[key];
  if (!chip) {
    chip = new Ina226Chip({
      busName: ch.bus,
      bus: lookup<I2C>(ch.bus, "bus"),
      address: ch.address,
      shunt_ohm: ch.shunt_ohm,
      currentLsb_A: ch.current_lsb_A,
      averages: ch.averages,
      conversion_us: ch.conversion_us,
      alertOver_A: ch.alert_over_A,
      period_s: 1 / ch.rate_hz,
    });
    chips[key] = chip;
  }
  return new Ina226Register(chip, ch.id, ch.measure);
}
