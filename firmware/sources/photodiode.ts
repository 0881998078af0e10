import type { PsdChannel, QuadrantChannel } from "../../boards/rig-schema.ts";
import { lsb_V } from "../../boards/chips/ads1115.ts";
import { DetectorGroup, PhotodiodeSignal } from "../drivers/photodiode.ts";
import type { SampleSource } from "../drivers/source.ts";
import { ads1115Input } from "./ads1115.ts";

// Detectors shared by their signals' channels, by group name.
const groups: { [group: string]: DetectorGroup } = {};

/** One electrode (PSD) or segment (quadrant) signal, read through an ADS1115 input, in its detector group. */
export function photodiodeSource(ch: PsdChannel | QuadrantChannel): SampleSource {
  let group = groups[ch.group];
  if (!group) {
    group = new DetectorGroup(ch.sensor === "psd" ? 2 : 4, ch.min_sum_V / lsb_V(ch.range_V));
    groups[ch.group] = group;
  }
  const index = "ABCD".indexOf(ch.sensor === "psd" ? ch.electrode : ch.segment);
  return new PhotodiodeSignal(ads1115Input(ch), group, index);
}
