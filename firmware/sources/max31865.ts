import type { Max31865Channel } from "../../boards/rig-schema.ts";
import { Max31865 } from "../drivers/max31865.ts";
import type { SampleSource } from "../drivers/source.ts";
import { lookup } from "./lookup.ts";

export function max31865Source(ch: Max31865Channel): SampleSource {
  const cal = ch.calibration;
  if (cal.kind !== "rtd_cvd") throw new Error('channel "' + ch.id + '": a MAX31865 needs an rtd_cvd calibration (its reference resistor and R0)');
  return new Max31865({
    channel: ch.id,
    busName: ch.bus,
    bus: lookup<SPI>(ch.bus, "bus"),
    cs: lookup<Pin>(ch.cs, "chip select pin"),
    csName: ch.cs,
    wires: ch.wires,
    mains_hz: ch.mains_hz,
    r0_ohm: cal.r0_ohm,
    ref_ohm: cal.ref_ohm,
    period_s: 1 / ch.rate_hz,
  });
}
