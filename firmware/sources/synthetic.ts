import type { SyntheticChannel } from "../../boards/rig-schema.ts";
import type { SampleSource } from "../drivers/source.ts";
import { Synthetic } from "../drivers/synthetic.ts";

export function syntheticSource(ch: SyntheticChannel): SampleSource {
  return new Synthetic({ shape: ch.shape, amplitude: ch.amplitude, period_s: ch.period_s, offset: ch.offset });
}
