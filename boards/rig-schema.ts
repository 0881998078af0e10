import Type, { type Static } from "typebox";
import { Id } from "../protocol/schema/id.ts";

/** raw → physical: value = gain · raw + offset, in the channel's unit. */
export const LinearCalibration = Type.Object({
  kind: Type.Literal("linear"),
  gain: Type.Number(),
  offset: Type.Number(),
});

const ChannelBase = {
  id: Id,
  /** BDF-style column name, quantity and unit: cell_pressure_pa, surface_temperature_celsius, ... */
  quantity: Type.String({ pattern: "^[a-z][a-z0-9_]*$" }),
  /** Unit symbol for people: Pa, degC, V, A, N/m. */
  unit: Type.String({ minLength: 1 }),
  rate_hz: Type.Number({ minimum: 0.1 }),
  calibration: LinearCalibration,
};

export const Ads1115Channel = Type.Object({
  ...ChannelBase,
  sensor: Type.Literal("ads1115"),
  bus: Type.String({ pattern: "^I2C[1-3]$" }),
  address: Type.Integer({ minimum: 0x48, maximum: 0x4b }),
  input: Type.Union([
    Type.Literal("AIN0"),
    Type.Literal("AIN1"),
    Type.Literal("AIN2"),
    Type.Literal("AIN3"),
    Type.Literal("AIN0-AIN1"),
    Type.Literal("AIN0-AIN3"),
    Type.Literal("AIN1-AIN3"),
    Type.Literal("AIN2-AIN3"),
  ]),
  /** Full-scale range of the PGA, ±V (datasheet SBAS444D §8.3.3). */
  range_V: Type.Union([Type.Literal(6.144), Type.Literal(4.096), Type.Literal(2.048), Type.Literal(1.024), Type.Literal(0.512), Type.Literal(0.256)]),
});

export const SyntheticChannel = Type.Object({
  ...ChannelBase,
  sensor: Type.Literal("synthetic"),
  shape: Type.Union([Type.Literal("sine"), Type.Literal("ramp"), Type.Literal("step")]),
  amplitude: Type.Number(),
  period_s: Type.Number({ exclusiveMinimum: 0 }),
  offset: Type.Number(),
});

export const ChannelConfig = Type.Union([Ads1115Channel, SyntheticChannel]);
export type ChannelConfig = Static<typeof ChannelConfig>;

/**
 * An edge alarm evaluated on the board. `threshold` is in the channel's unit: a value for high and
 * low, a change per second for rise, and for stale the seconds without any change of the raw code.
 * high and low clear `hysteresis` back inside the threshold; a condition must hold `hold_s` before
 * the alarm is raised.
 */
export const AlarmRule = Type.Object({
  name: Id,
  channel: Id,
  kind: Type.Union([Type.Literal("high"), Type.Literal("low"), Type.Literal("rise"), Type.Literal("stale")]),
  threshold: Type.Number(),
  hysteresis: Type.Optional(Type.Number({ minimum: 0 })),
  hold_s: Type.Optional(Type.Number({ minimum: 0, maximum: 3600 })),
});
export type AlarmRule = Static<typeof AlarmRule>;

/** How much RAM and flash the store of messages awaiting delivery may take; defaults follow from the board (boards/limits.ts). */
export const StoreConfig = Type.Object({
  ram_bytes: Type.Optional(Type.Integer({ minimum: 512 })),
  flash_bytes: Type.Optional(Type.Integer({ minimum: 8192 })),
});

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
  }),
  wifi: Type.Optional(Type.Object({ ssid: Type.String({ minLength: 1 }) })),
  /** Frames are cut every frame_s seconds. */
  frame_s: Type.Number({ minimum: 0.1, maximum: 60 }),
  channels: Type.Array(ChannelConfig, { minItems: 1, maxItems: 16 }),
  alarms: Type.Optional(Type.Array(AlarmRule, { maxItems: 32 })),
  store: Type.Optional(StoreConfig),
  /** Seconds between health messages; default 60. */
  health_s: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600 })),
});
export type RigConfig = Static<typeof RigConfig>;
export type Ads1115Channel = Static<typeof Ads1115Channel>;
export type SyntheticChannel = Static<typeof SyntheticChannel>;
