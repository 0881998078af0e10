import type { ChannelConfig } from "../boards/rig-schema.ts";
import { Ads1115 } from "./drivers/ads1115.ts";
import type { SampleSource } from "./drivers/source.ts";
import { Synthetic } from "./drivers/synthetic.ts";

function i2cBus(name: string): I2C {
  const bus = global[name] as I2C | undefined;
  if (!bus) throw new Error("bus " + name + " does not exist on this board");
  return bus;
}

/** Makes the sample source for one configured channel. */
export function makeSource(ch: ChannelConfig): SampleSource {
  if (ch.sensor === "ads1115") {
    return new Ads1115({ channel: ch.id, busName: ch.bus, bus: i2cBus(ch.bus), address: ch.address, input: ch.input, range_V: ch.range_V });
  }
  return new Synthetic({ shape: ch.shape, amplitude: ch.amplitude, period_s: ch.period_s, offset: ch.offset });
}
