import type { NtcChannel, RatiometricChannel } from "../../boards/rig-schema.ts";
import { ANALOG_CODE_FULL_SCALE } from "../../boards/chips/analog-pin.ts";
import { QUALITY_OPEN_CIRCUIT, QUALITY_SATURATED } from "../../protocol/wire/data-frame.ts";
import { AnalogPin } from "../drivers/analog-pin.ts";
import type { SampleSource } from "../drivers/source.ts";
import { lookup } from "./lookup.ts";

/** A ratiometric transducer outputs 10 % to 90 % of its supply; beyond 5 % and 95 % the wiring or the sensor is at fault. */
const RATIOMETRIC_OPEN_FRACTION = 0.05;
const RATIOMETRIC_SATURATED_FRACTION = 0.95;
/** A divider within this many codes of a rail has an open or shorted thermistor. */
const NTC_RAIL_CODES = 16;

export function ntcSource(ch: NtcChannel): SampleSource {
  const cal = ch.calibration;
  // The thermistor's side of the divider decides which rail an open thermistor pulls the pin to.
  const openHigh = (cal.kind === "ntc_beta" || cal.kind === "ntc_steinhart_hart") && cal.ntc_position === "low";
  return new AnalogPin({
    pin: lookup<Pin>(ch.pin, "pin"),
    lowCode: NTC_RAIL_CODES,
    lowFlag: openHigh ? QUALITY_SATURATED : QUALITY_OPEN_CIRCUIT,
    highCode: ANALOG_CODE_FULL_SCALE - NTC_RAIL_CODES,
    highFlag: openHigh ? QUALITY_OPEN_CIRCUIT : QUALITY_SATURATED,
  });
}

export function ratiometricSource(ch: RatiometricChannel): SampleSource {
  const supplyCodes = ((ch.supply_V * ch.divider) / ch.adc_full_scale_V) * ANALOG_CODE_FULL_SCALE;
  return new AnalogPin({
    pin: lookup<Pin>(ch.pin, "pin"),
    lowCode: Math.floor(RATIOMETRIC_OPEN_FRACTION * supplyCodes),
    lowFlag: QUALITY_OPEN_CIRCUIT,
    highCode: Math.min(ANALOG_CODE_FULL_SCALE, Math.ceil(RATIOMETRIC_SATURATED_FRACTION * supplyCodes)),
    highFlag: QUALITY_SATURATED,
  });
}
