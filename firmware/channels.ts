import factories from "cellrig:sources";
import type { ChannelConfig } from "../boards/rig-schema.ts";
import type { SampleSource } from "./drivers/source.ts";

/**
 * Makes the sample source for one configured channel; channels on one chip or detector share it.
 * The bundle carries the drivers of the rig it was built for only.
 */
export function makeSource(ch: ChannelConfig): SampleSource {
  const make = factories[ch.sensor];
  if (!make) throw new Error('channel "' + ch.id + '": this firmware was built without the ' + ch.sensor + " driver; build it with this rig configuration (cellrig build --config)");
  return make(ch);
}
