import type { ChannelConfig, Ina226Channel, Max31865Channel, NtcChannel, PsdChannel, QuadrantChannel, RatiometricChannel } from "../boards/rig-schema.ts";
import { lsb_V } from "../boards/chips/ads1115.ts";
import { ANALOG_CODE_FULL_SCALE } from "../boards/chips/analog-pin.ts";
import { QUALITY_OPEN_CIRCUIT, QUALITY_SATURATED } from "../protocol/wire/data-frame.ts";
import { Abp2 } from "./drivers/abp2.ts";
import { Ads1115Chip, Ads1115Input } from "./drivers/ads1115.ts";
import { AnalogPin } from "./drivers/analog-pin.ts";
import { Ina226Chip, Ina226Register } from "./drivers/ina226.ts";
import { Max31865 } from "./drivers/max31865.ts";
import { DetectorGroup, PhotodiodeSignal } from "./drivers/photodiode.ts";
import type { SampleSource } from "./drivers/source.ts";
import { Synthetic } from "./drivers/synthetic.ts";

/** A ratiometric transducer outputs 10 % to 90 % of its supply; beyond 5 % and 95 % the wiring or the sensor is at fault. */
const RATIOMETRIC_OPEN_FRACTION = 0.05;
const RATIOMETRIC_SATURATED_FRACTION = 0.95;
/** A divider within this many codes of a rail has an open or shorted thermistor. */
const NTC_RAIL_CODES = 16;

// Chips and detectors shared by several channels, by bus and address or by group name.
const ads1115Chips: { [key: string]: Ads1115Chip } = {};
const ina226Chips: { [key: string]: Ina226Chip } = {};
const groups: { [group: string]: DetectorGroup } = {};

function lookup<T>(name: string, what: string): T {
  const value = global[name] as T | undefined;
  if (!value) throw new Error(what + " " + name + " does not exist on this board");
  return value;
}

function ads1115Chip(bus: string, address: number, rate_hz: number): Ads1115Chip {
  const key = bus + "@" + address;
  let chip = ads1115Chips[key];
  if (!chip) {
    chip = new Ads1115Chip({ busName: bus, bus: lookup<I2C>(bus, "bus"), address: address, period_s: 1 / rate_hz });
    ads1115Chips[key] = chip;
  }
  return chip;
}

function detector(ch: PsdChannel | QuadrantChannel): PhotodiodeSignal {
  let group = groups[ch.group];
  if (!group) {
    group = new DetectorGroup(ch.sensor === "psd" ? 2 : 4, ch.min_sum_V / lsb_V(ch.range_V));
    groups[ch.group] = group;
  }
  const input = new Ads1115Input(ads1115Chip(ch.bus, ch.address, ch.rate_hz), ch.id, ch.input, ch.range_V);
  const index = "ABCD".indexOf(ch.sensor === "psd" ? ch.electrode : ch.segment);
  return new PhotodiodeSignal(input, group, index);
}

function ina226Source(ch: Ina226Channel): SampleSource {
  const key = ch.bus + "@" + ch.address;
  let chip = ina226Chips[key];
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
    ina226Chips[key] = chip;
  }
  return new Ina226Register(chip, ch.id, ch.measure);
}

function max31865Source(ch: Max31865Channel): SampleSource {
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

function ntcSource(ch: NtcChannel): SampleSource {
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

function ratiometricSource(ch: RatiometricChannel): SampleSource {
  const supplyCodes = ((ch.supply_V * ch.divider) / ch.adc_full_scale_V) * ANALOG_CODE_FULL_SCALE;
  return new AnalogPin({
    pin: lookup<Pin>(ch.pin, "pin"),
    lowCode: Math.floor(RATIOMETRIC_OPEN_FRACTION * supplyCodes),
    lowFlag: QUALITY_OPEN_CIRCUIT,
    highCode: Math.min(ANALOG_CODE_FULL_SCALE, Math.ceil(RATIOMETRIC_SATURATED_FRACTION * supplyCodes)),
    highFlag: QUALITY_SATURATED,
  });
}

/** Makes the sample source for one configured channel; channels on one chip or detector share it. */
export function makeSource(ch: ChannelConfig): SampleSource {
  if (ch.sensor === "ads1115") return new Ads1115Input(ads1115Chip(ch.bus, ch.address, ch.rate_hz), ch.id, ch.input, ch.range_V);
  if (ch.sensor === "psd" || ch.sensor === "quadrant") return detector(ch);
  if (ch.sensor === "ina226") return ina226Source(ch);
  if (ch.sensor === "max31865") return max31865Source(ch);
  if (ch.sensor === "abp2") return new Abp2({ channel: ch.id, busName: ch.bus, bus: lookup<I2C>(ch.bus, "bus"), address: ch.address, period_s: 1 / ch.rate_hz });
  if (ch.sensor === "ntc") return ntcSource(ch);
  if (ch.sensor === "ratiometric") return ratiometricSource(ch);
  return new Synthetic({ shape: ch.shape, amplitude: ch.amplitude, period_s: ch.period_s, offset: ch.offset });
}
