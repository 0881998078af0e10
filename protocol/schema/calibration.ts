import Type, { type Static } from "typebox";

export const FiniteNumber = Type.Refine(Type.Number(), (n) => isFinite(n), () => "must be a finite number");
const Positive = Type.Refine(Type.Number({ exclusiveMinimum: 0 }), (n) => isFinite(n), () => "must be a finite number");

/** `value = gain·raw + offset`, in the channel's unit. */
export const LinearCalibration = Type.Object({
  kind: Type.Literal("linear"),
  gain: FiniteNumber,
  offset: FiniteNumber,
});

/**
 * Platinum RTD through a ratio converter (MAX31865): R = raw·ref_ohm/code_full_scale, then the
 * Callendar–Van Dusen equation of IEC 60751 inverted to °C. C applies below 0 °C only.
 */
export const RtdCvdCalibration = Type.Object({
  kind: Type.Literal("rtd_cvd"),
  ref_ohm: Positive,
  r0_ohm: Positive,
  A: FiniteNumber,
  B: FiniteNumber,
  C: FiniteNumber,
  code_full_scale: Positive,
});

/** Where the thermistor sits in its divider: `low` between the pin and ground, `high` between the supply and the pin. */
const NtcPosition = Type.Union([Type.Literal("low"), Type.Literal("high")]);

/** NTC thermistor in a divider on an ADC read ratiometrically; β model: 1/T = 1/T0 + ln(R/R0)/β, °C out. */
export const NtcBetaCalibration = Type.Object({
  kind: Type.Literal("ntc_beta"),
  code_full_scale: Positive,
  series_ohm: Positive,
  ntc_position: NtcPosition,
  r0_ohm: Positive,
  t0_degC: FiniteNumber,
  beta_K: Positive,
});

/** NTC thermistor as above; Steinhart–Hart: 1/T = A + B·ln R + C·(ln R)³ with T in K and R in Ω, °C out. */
export const NtcSteinhartHartCalibration = Type.Object({
  kind: Type.Literal("ntc_steinhart_hart"),
  code_full_scale: Positive,
  series_ohm: Positive,
  ntc_position: NtcPosition,
  A: FiniteNumber,
  B: FiniteNumber,
  C: FiniteNumber,
});

/** How the host turns a channel's raw codes into its physical unit; chosen by `kind`. */
export const Calibration = Type.Union([LinearCalibration, RtdCvdCalibration, NtcBetaCalibration, NtcSteinhartHartCalibration]);
export type Calibration = Static<typeof Calibration>;
export type LinearCalibration = Static<typeof LinearCalibration>;
export type RtdCvdCalibration = Static<typeof RtdCvdCalibration>;
export type NtcBetaCalibration = Static<typeof NtcBetaCalibration>;
export type NtcSteinhartHartCalibration = Static<typeof NtcSteinhartHartCalibration>;
