import Type, { type Static } from "typebox";
import { Calibration } from "../protocol/schema/calibration.ts";
import { INA226_ADDRESS_MAX, INA226_ADDRESS_MIN } from "./chips/ina226.ts";
import { Id } from "../protocol/schema/id.ts";

// One channel kind per sensor. Every channel carries one raw signal; a detector with several
// signals (lateral PSD: electrodes A and B; quadrant photodiode: segments A-D) is several channels
// sharing a `group`, so every raw signal travels and the host forms sums and positions from them.
// docs/SENSORS.md describes each kind, its wiring and the calibration that fits it.

const PinName = Type.String({ pattern: "^[A-Z][0-9]{1,2}$" });
const I2CBus = Type.String({ pattern: "^I2C[1-3]$" });
const SPIBus = Type.String({ pattern: "^SPI[1-3]$" });
const PositiveNumber = Type.Number({ exclusiveMinimum: 0 });
/** A misspelt optional key would otherwise be ignored without a word, so every rig object lists all it may hold. */
const STRICT = { additionalProperties: false } as const;

const ChannelBase = {
  id: Id,
  /** BDF-style column name, quantity and unit: cell_pressure_pa, surface_temperature_celsius, ... */
  quantity: Type.String({ pattern: "^[a-z][a-z0-9_]*$" }),
  /** Unit symbol for people: Pa, degC, V, A, N/m. */
  unit: Type.String({ minLength: 1 }),
  rate_hz: Type.Number({ minimum: 0.1 }),
  /** Which calibration kinds fit which sensor is checked in rig-config.ts. */
  calibration: Calibration,
};

/** ADS1115 multiplexer inputs (datasheet SBAS444D §8.5.3, MUX[2:0]). */
const Ads1115Input = Type.Union([
  Type.Literal("AIN0"),
  Type.Literal("AIN1"),
  Type.Literal("AIN2"),
  Type.Literal("AIN3"),
  Type.Literal("AIN0-AIN1"),
  Type.Literal("AIN0-AIN3"),
  Type.Literal("AIN1-AIN3"),
  Type.Literal("AIN2-AIN3"),
]);
/** Full-scale range of the PGA, ±V (datasheet SBAS444D §8.3.3). */
const Ads1115Range = Type.Union([Type.Literal(6.144), Type.Literal(4.096), Type.Literal(2.048), Type.Literal(1.024), Type.Literal(0.512), Type.Literal(0.256)]);
const Ads1115Fields = {
  bus: I2CBus,
  address: Type.Integer({ minimum: 0x48, maximum: 0x4b }),
  input: Ads1115Input,
  range_V: Ads1115Range,
};

/** A voltage on one ADS1115 input: an analog pressure transducer, a photodiode amplifier, ... */
export const Ads1115Channel = Type.Object({ ...ChannelBase, sensor: Type.Literal("ads1115"), ...Ads1115Fields }, STRICT);

/** One register of an INA226 current/voltage monitor; channels on one chip share its shunt and timing. */
export const Ina226Channel = Type.Object({
  ...ChannelBase,
  sensor: Type.Literal("ina226"),
  bus: I2CBus,
  address: Type.Integer({ minimum: INA226_ADDRESS_MIN, maximum: INA226_ADDRESS_MAX }),
  measure: Type.Union([Type.Literal("current"), Type.Literal("shunt_voltage"), Type.Literal("bus_voltage"), Type.Literal("power")]),
  shunt_ohm: PositiveNumber,
  /** Current register LSB; CAL = 0.00512 / (current_lsb_A · shunt_ohm) must fit 15 bits. */
  current_lsb_A: PositiveNumber,
  averages: Type.Union([1, 4, 16, 64, 128, 256, 512, 1024].map((n) => Type.Literal(n))),
  /** Conversion time of each bus and shunt sample, µs. */
  conversion_us: Type.Union([140, 204, 332, 588, 1100, 2116, 4156, 8244].map((n) => Type.Literal(n))),
  /** Drive the ALERT pin when the current exceeds this, A (shunt over-voltage limit). */
  alert_over_A: Type.Optional(PositiveNumber),
}, STRICT);

/** A platinum RTD on a MAX31865 over SPI; its reference resistor and R0 are in the `rtd_cvd` calibration. */
export const Max31865Channel = Type.Object({
  ...ChannelBase,
  sensor: Type.Literal("max31865"),
  bus: SPIBus,
  cs: PinName,
  wires: Type.Union([Type.Literal(2), Type.Literal(3), Type.Literal(4)]),
  /** Mains frequency the converter's filter rejects. */
  mains_hz: Type.Union([Type.Literal(50), Type.Literal(60)]),
}, STRICT);

/** An NTC thermistor in a divider on an analog pin; the divider and the β or Steinhart–Hart model are in the calibration. */
export const NtcChannel = Type.Object({
  ...ChannelBase,
  sensor: Type.Literal("ntc"),
  pin: PinName,
}, STRICT);

/** Ratiometric analog pressure transducer (10 % to 90 % of its supply) on an analog pin, through a divider. */
export const RatiometricChannel = Type.Object({
  ...ChannelBase,
  sensor: Type.Literal("ratiometric"),
  pin: PinName,
  supply_V: PositiveNumber,
  /** Divider from the transducer's output to the pin, ≤ 1 (1 when wired directly). */
  divider: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
  /** Voltage at which analogRead returns 1. */
  adc_full_scale_V: PositiveNumber,
}, STRICT);

/** A digital pressure transducer of the Honeywell ABP2 kind: status byte and 24-bit counts over I2C. */
export const Abp2Channel = Type.Object({
  ...ChannelBase,
  sensor: Type.Literal("abp2"),
  bus: I2CBus,
  address: Type.Integer({ minimum: 0x08, maximum: 0x78 }),
}, STRICT);

const DetectorFields = {
  /** The detector this signal belongs to; its other signals carry the same group. */
  group: Id,
  /** Transimpedance of the amplifier from photocurrent to the ADC input, Ω. */
  transimpedance_ohm: PositiveNumber,
  /** Below this sum of the group's signals the spot position is invalid (bubble, misalignment, laser), V. */
  min_sum_V: Type.Number({ minimum: 0 }),
};

/** One electrode of a two-electrode lateral-effect position-sensitive detector, read by an ADS1115 input. */
export const PsdChannel = Type.Object({
  ...ChannelBase,
  sensor: Type.Literal("psd"),
  ...Ads1115Fields,
  ...DetectorFields,
  electrode: Type.Union([Type.Literal("A"), Type.Literal("B")]),
  active_length_m: PositiveNumber,
}, STRICT);

/** One segment of a quadrant photodiode, read by an ADS1115 input. */
export const QuadrantChannel = Type.Object({
  ...ChannelBase,
  sensor: Type.Literal("quadrant"),
  ...Ads1115Fields,
  ...DetectorFields,
  segment: Type.Union([Type.Literal("A"), Type.Literal("B"), Type.Literal("C"), Type.Literal("D")]),
}, STRICT);

export const SyntheticChannel = Type.Object({
  ...ChannelBase,
  sensor: Type.Literal("synthetic"),
  shape: Type.Union([Type.Literal("sine"), Type.Literal("ramp"), Type.Literal("step")]),
  amplitude: Type.Number(),
  period_s: Type.Number({ exclusiveMinimum: 0 }),
  offset: Type.Number(),
}, STRICT);

export const ChannelConfig = Type.Union([
  Ads1115Channel,
  Ina226Channel,
  Max31865Channel,
  NtcChannel,
  RatiometricChannel,
  Abp2Channel,
  PsdChannel,
  QuadrantChannel,
  SyntheticChannel,
]);
export type ChannelConfig = Static<typeof ChannelConfig>;

/**
 * An edge alarm evaluated on the board. `threshold` is in the channel's unit: a value for high and
 * low, a change per second for rise, and for stale the seconds without any change of the raw code;
 * lost_sum (a PSD or quadrant signal whose detector's optical sum is below min_sum_V) ignores it.
 * high and low clear `hysteresis` back inside the threshold; a condition must hold `hold_s` before
 * the alarm is raised.
 */
export const AlarmRule = Type.Object({
  name: Id,
  channel: Id,
  kind: Type.Union([Type.Literal("high"), Type.Literal("low"), Type.Literal("rise"), Type.Literal("stale"), Type.Literal("lost_sum")]),
  threshold: Type.Number(),
  hysteresis: Type.Optional(Type.Number({ minimum: 0 })),
  hold_s: Type.Optional(Type.Number({ minimum: 0, maximum: 3600 })),
}, STRICT);
export type AlarmRule = Static<typeof AlarmRule>;

/** How much RAM and flash the store of messages awaiting delivery may take; defaults follow from the board (boards/limits.ts). */
export const StoreConfig = Type.Object({
  ram_bytes: Type.Optional(Type.Integer({ minimum: 512 })),
  flash_bytes: Type.Optional(Type.Integer({ minimum: 8192 })),
}, STRICT);

/** One rig: which board, where it publishes, and what it samples. Embedded in the bundle as its default. */
export const RigConfig = Type.Object({
  rig: Id,
  board: Type.String(),
  /** Defaults to the board's serial number. */
  board_id: Type.Optional(Id),
  broker: Type.Object({
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    keepalive_s: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600 })),
    /** The password never goes in this file: it comes from the environment or a secrets file at flash time. */
    username: Type.Optional(Type.String()),
  }, STRICT),
  wifi: Type.Optional(Type.Object({ ssid: Type.String({ minLength: 1 }) }, STRICT)),
  /** Frames are cut every frame_s seconds. */
  frame_s: Type.Number({ minimum: 0.1, maximum: 60 }),
  channels: Type.Array(ChannelConfig, { minItems: 1, maxItems: 16 }),
  alarms: Type.Optional(Type.Array(AlarmRule, { maxItems: 32 })),
  store: Type.Optional(StoreConfig),
  /** Seconds between health messages; default 60. */
  health_s: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600 })),
}, STRICT);
export type RigConfig = Static<typeof RigConfig>;
export type Ads1115Channel = Static<typeof Ads1115Channel>;
export type Ina226Channel = Static<typeof Ina226Channel>;
export type Max31865Channel = Static<typeof Max31865Channel>;
export type NtcChannel = Static<typeof NtcChannel>;
export type RatiometricChannel = Static<typeof RatiometricChannel>;
export type Abp2Channel = Static<typeof Abp2Channel>;
export type PsdChannel = Static<typeof PsdChannel>;
export type QuadrantChannel = Static<typeof QuadrantChannel>;
export type SyntheticChannel = Static<typeof SyntheticChannel>;
