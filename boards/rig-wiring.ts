import { DATA_RATE_SPS, DATA_RATE_TOLERANCE } from "./chips/ads1115.ts";
import { ANALOG_CODE_FULL_SCALE } from "./chips/analog-pin.ts";
import { CONVERSION_S as ABP2_CONVERSION_S } from "./chips/abp2.ts";
import { CALIBRATION_MAX, calibrationRegister } from "./chips/ina226.ts";
import { AUTO_CONVERSION_S, CODE_FULL_SCALE as RTD_CODE_FULL_SCALE } from "./chips/max31865.ts";
import type { BoardProfile } from "./profile.ts";
import type { ChannelConfig, Ina226Channel, PsdChannel, QuadrantChannel } from "./rig-schema.ts";

// How the configured sensors fit the board and each other: buses and pins that exist, one device
// per address or chip select, channels that share a chip agreeing on it, complete detector groups,
// a calibration of the kind the sensor's codes need, and rates the chips can convert at.

type At = (i: number) => string;

const ADS1115_CONVERSION_S = (1 + DATA_RATE_TOLERANCE) / DATA_RATE_SPS[DATA_RATE_SPS.length - 1]!;

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** The chip behind an I2C channel, as far as sharing an address goes. */
function i2cChip(ch: ChannelConfig): "ADS1115" | "INA226" | "ABP2" | undefined {
  if (ch.sensor === "ads1115" || ch.sensor === "psd" || ch.sensor === "quadrant") return "ADS1115";
  if (ch.sensor === "ina226") return "INA226";
  if (ch.sensor === "abp2") return "ABP2";
  return undefined;
}

function checkCalibration(ch: ChannelConfig, at: string, problems: string[]): void {
  const kind = ch.calibration.kind;
  if (ch.sensor === "max31865") {
    if (ch.calibration.kind !== "rtd_cvd") problems.push(`${at}: a MAX31865 channel needs an "rtd_cvd" calibration (its codes are resistance ratios), not "${kind}"`);
    else if (ch.calibration.code_full_scale !== RTD_CODE_FULL_SCALE) problems.push(`${at}: the MAX31865's ratio code spans ${RTD_CODE_FULL_SCALE} (2^15), not ${ch.calibration.code_full_scale}: set code_full_scale to ${RTD_CODE_FULL_SCALE}`);
  } else if (ch.sensor === "ntc") {
    if (ch.calibration.kind !== "ntc_beta" && ch.calibration.kind !== "ntc_steinhart_hart") problems.push(`${at}: an NTC channel needs an "ntc_beta" or "ntc_steinhart_hart" calibration, not "${kind}"`);
    else if (ch.calibration.code_full_scale !== ANALOG_CODE_FULL_SCALE) problems.push(`${at}: analog pin codes span ${ANALOG_CODE_FULL_SCALE}, not ${ch.calibration.code_full_scale}: set code_full_scale to ${ANALOG_CODE_FULL_SCALE}`);
  } else if (kind !== "linear") {
    problems.push(`${at}: the codes of a "${ch.sensor}" channel are linear in its quantity: use a "linear" calibration, not "${kind}"`);
  }
}

function checkRate(ch: ChannelConfig, at: string, problems: string[]): void {
  let conversion_s = 0;
  let what = "";
  if (ch.sensor === "max31865") {
    conversion_s = AUTO_CONVERSION_S[ch.mains_hz]!;
    what = `the MAX31865 converts every ${conversion_s * 1000} ms with the ${ch.mains_hz} Hz filter`;
  } else if (ch.sensor === "ina226") {
    conversion_s = (2 * ch.conversion_us * ch.averages) / 1e6;
    what = `the INA226 updates every ${conversion_s * 1000} ms (2 × ${ch.conversion_us} µs × ${ch.averages} averages)`;
  } else if (ch.sensor === "abp2") {
    conversion_s = ABP2_CONVERSION_S;
    what = `the ABP2 takes ${ABP2_CONVERSION_S * 1000} ms per conversion`;
  }
  if (conversion_s > 0 && ch.rate_hz * conversion_s > 1) problems.push(`${at}: rate ${ch.rate_hz} Hz is too fast: ${what}; use at most ${Math.floor(1 / conversion_s)} Hz`);
}

/** Channels on one ADS1115 agree on a rate, and one scan of all its inputs fits in a sample period. */
function checkAds1115Chip(members: number[], channels: ChannelConfig[], at: At, problems: string[]): void {
  if (members.length < 2) return;
  const first = channels[members[0]!]!;
  const inputs: { [input: string]: string } = {};
  for (const i of members) {
    const ch = channels[i]!;
    if (ch.sensor !== "ads1115" && ch.sensor !== "psd" && ch.sensor !== "quadrant") continue;
    if (inputs[ch.input]) problems.push(`${at(i)}: address ${hex(ch.address)} on ${ch.bus} is already used by channel "${inputs[ch.input]}" for the same input ${ch.input} (one channel per ADS1115 input)`);
    inputs[ch.input] = ch.id;
    if (ch.rate_hz !== first.rate_hz) problems.push(`${at(i)}: channels on one ADS1115 are scanned together and need one rate: ${ch.rate_hz} Hz here, ${first.rate_hz} Hz on channel "${first.id}"`);
  }
  const scan_s = members.length * ADS1115_CONVERSION_S;
  if (first.rate_hz * scan_s > 1) {
    problems.push(`${at(members[0]!)}: ${members.length} inputs of one ADS1115 take ${(scan_s * 1000).toFixed(2)} ms per scan, longer than a sample period at ${first.rate_hz} Hz: lower the rate or use a second ADS1115`);
  }
}

/** Channels on one INA226 share its shunt, calibration and timing. */
function checkIna226Chip(members: number[], channels: ChannelConfig[], at: At, problems: string[]): void {
  const first = channels[members[0]!] as Ina226Channel;
  const measures: { [measure: string]: string } = {};
  const cal = calibrationRegister(first.current_lsb_A, first.shunt_ohm);
  if (cal < 1 || cal > CALIBRATION_MAX) {
    problems.push(`${at(members[0]!)}: INA226 calibration 0.00512 / (${first.current_lsb_A} A × ${first.shunt_ohm} Ω) = ${cal} does not fit the 15-bit register (1 to ${CALIBRATION_MAX}): choose current_lsb_A near max current / 32768`);
  }
  for (const i of members) {
    const ch = channels[i] as Ina226Channel;
    if (measures[ch.measure]) problems.push(`${at(i)}: address ${hex(ch.address)} on ${ch.bus} is already used by channel "${measures[ch.measure]}" for the same measure ${ch.measure}`);
    measures[ch.measure] = ch.id;
    for (const key of ["shunt_ohm", "current_lsb_A", "averages", "conversion_us", "alert_over_A"] as const) {
      if (ch[key] !== first[key]) problems.push(`${at(i)}: ${key} ${ch[key]} differs from ${first[key]} on channel "${first.id}", which shares this INA226`);
    }
  }
}

const GROUP_SIGNALS = { psd: ["A", "B"], quadrant: ["A", "B", "C", "D"] };

function signalOf(ch: PsdChannel | QuadrantChannel): string {
  return ch.sensor === "psd" ? ch.electrode : ch.segment;
}

/** A detector group has each of its signals once, all at one rate, range, amplifier and threshold. */
function checkGroup(group: string, members: number[], channels: ChannelConfig[], at: At, problems: string[]): void {
  const first = channels[members[0]!] as PsdChannel | QuadrantChannel;
  const expected = GROUP_SIGNALS[first.sensor];
  const seen: string[] = [];
  for (const i of members) {
    const ch = channels[i] as PsdChannel | QuadrantChannel;
    if (ch.sensor !== first.sensor) {
      problems.push(`${at(i)}: group "${group}" mixes ${ch.sensor} and ${first.sensor} channels: a group is one detector`);
      continue;
    }
    const signal = signalOf(ch);
    if (seen.indexOf(signal) >= 0) problems.push(`${at(i)}: group "${group}" has ${ch.sensor === "psd" ? "electrode" : "segment"} ${signal} twice`);
    seen.push(signal);
    for (const key of ["rate_hz", "range_V", "transimpedance_ohm", "min_sum_V"] as const) {
      if (ch[key] !== first[key]) problems.push(`${at(i)}: ${key} ${ch[key]} differs from ${first[key]} on channel "${first.id}" of the same detector group "${group}"`);
    }
    if (ch.sensor === "psd" && first.sensor === "psd" && ch.active_length_m !== first.active_length_m) {
      problems.push(`${at(i)}: active_length_m ${ch.active_length_m} differs from ${first.active_length_m} on channel "${first.id}" of the same PSD "${group}"`);
    }
  }
  const missing = expected.filter((s) => seen.indexOf(s) < 0);
  if (missing.length > 0) problems.push(`${at(members[0]!)}: ${first.sensor} group "${group}" lacks ${missing.join(", ")}: the sum and position need every signal (${expected.join(", ")})`);
}

/** Every way the channels do not fit the board or each other, one line each. */
export function wiringProblems(channels: ChannelConfig[], board: BoardProfile): string[] {
  const problems: string[] = [];
  const at: At = (i) => `/channels/${i} ("${channels[i]!.id}")`;
  const i2cDevices: { [key: string]: number[] } = {};
  const csPins: { [pin: string]: string } = {};
  const analogPins: { [pin: string]: string } = {};
  const groups: { [group: string]: number[] } = {};
  const busPins: string[] = [];
  for (const b of board.i2c) busPins.push(b.scl, b.sda);
  for (const b of board.spi) busPins.push(b.sck, b.miso, b.mosi);

  channels.forEach((ch, i) => {
    checkCalibration(ch, at(i), problems);
    checkRate(ch, at(i), problems);
    const chip = i2cChip(ch);
    if (chip !== undefined && "bus" in ch && "address" in ch) {
      if (!board.i2c.some((b) => b.bus === ch.bus)) {
        problems.push(`${at(i)}: ${board.id} has no ${ch.bus} (it has ${board.i2c.map((b) => b.bus).join(", ") || "no I2C bus"})`);
      }
      const key = `${ch.bus}@${ch.address}`;
      const members = (i2cDevices[key] ??= []);
      const other = members.length > 0 ? channels[members[0]!]! : undefined;
      if (other !== undefined && (i2cChip(other) !== chip || chip === "ABP2")) {
        problems.push(`${at(i)}: address ${hex(ch.address)} on ${ch.bus} is already used by channel "${other.id}" (an ${i2cChip(other)}): give one of them a different address`);
      } else {
        members.push(i);
      }
    }
    if (ch.sensor === "max31865") {
      if (!board.spi.some((b) => b.bus === ch.bus)) problems.push(`${at(i)}: ${board.id} has no ${ch.bus} (it has ${board.spi.map((b) => b.bus).join(", ") || "no SPI bus"})`);
      if (board.gpio.indexOf(ch.cs) < 0) problems.push(`${at(i)}: chip select ${ch.cs} is not a digital output of ${board.id} (it has ${board.gpio.join(", ")})`);
      else if (busPins.indexOf(ch.cs) >= 0) problems.push(`${at(i)}: chip select ${ch.cs} is a bus pin of ${board.id}: choose a free pin`);
      if (csPins[ch.cs]) problems.push(`${at(i)}: chip select ${ch.cs} is already used by channel "${csPins[ch.cs]}"`);
      csPins[ch.cs] = ch.id;
    }
    if (ch.sensor === "ntc" || ch.sensor === "ratiometric") {
      if (board.analog_pins.indexOf(ch.pin) < 0) problems.push(`${at(i)}: ${ch.pin} is not an analog pin of ${board.id} (it has ${board.analog_pins.join(", ") || "none"})`);
      if (analogPins[ch.pin]) problems.push(`${at(i)}: analog pin ${ch.pin} is already used by channel "${analogPins[ch.pin]}"`);
      analogPins[ch.pin] = ch.id;
    }
    if (ch.sensor === "psd" || ch.sensor === "quadrant") (groups[ch.group] ??= []).push(i);
  });

  for (const key of Object.keys(i2cDevices)) {
    const members = i2cDevices[key]!;
    const chip = i2cChip(channels[members[0]!]!);
    if (chip === "ADS1115") checkAds1115Chip(members, channels, at, problems);
    else if (chip === "INA226") checkIna226Chip(members, channels, at, problems);
  }
  for (const group of Object.keys(groups)) checkGroup(group, groups[group]!, channels, at, problems);
  for (const pin of Object.keys(csPins)) {
    if (analogPins[pin]) problems.push(`/channels: pin ${pin} is both the chip select of "${csPins[pin]}" and the analog input of "${analogPins[pin]}"`);
  }
  return problems;
}
