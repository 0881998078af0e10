import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BoardProfile } from "../../boards/profile.ts";
import { validateRigConfig } from "../../boards/rig-config.ts";
import type { ChannelConfig, RigConfig } from "../../boards/rig-schema.ts";

// A rig file to start from: a preset from rigs/, aimed at the user's board and broker, with notes
// for people in "$comment" members (JSON has no comments; the loader drops these). The result is
// checked against the board before it is written, so what `cellrig init` writes always builds.

/** What each sensor kind needs, in one line; docs/SENSORS.md has the whole story. */
const SENSOR_NOTES: Record<ChannelConfig["sensor"], string> = {
  ads1115: "TI ADS1115 ADC on I2C: address 0x48-0x4B (72-75) by its ADDR pin, input AIN0-AIN3 or a differential pair, range_V its full scale; linear calibration from code to the quantity",
  ina226: "TI INA226 current/voltage monitor on I2C: address 0x40-0x4F (64-79), measure current, shunt_voltage, bus_voltage or power; channels on one chip share shunt_ohm, current_lsb_A, averages and conversion_us",
  max31865: "Maxim MAX31865 RTD converter on SPI: cs is its chip-select pin, wires 2, 3 or 4; rtd_cvd calibration with the reference resistor and R0",
  ntc: "NTC thermistor in a divider on an analog pin of the board; ntc_beta or ntc_steinhart_hart calibration with the divider's series resistor",
  ratiometric: "ratiometric pressure transducer on an analog pin through a divider; linear calibration",
  abp2: "Honeywell ABP2 digital pressure sensor on I2C; linear calibration from its 24-bit counts",
  psd: "one electrode of a position-sensitive detector, read by an ADS1115 input; the group names its detector",
  quadrant: "one segment of a quadrant photodiode, read by an ADS1115 input; the group names its detector",
  synthetic: "a generated signal (sine, ramp or step) for trying things out without a sensor",
};

const RIG_NOTE =
  "cellrig rig configuration: one board, where it publishes, what it samples. Check it with `cellrig build --board <id> --config <this file>`. " +
  "frame_s is the seconds of samples in one data frame. Keys and calibrations: docs/SENSORS.md. Members named $comment are notes and are ignored.";
const BROKER_NOTE =
  "The MQTT broker the board publishes to. No password here: it comes from CELLRIG_BROKER_PASSWORD or a --secrets file when flashing.";
const WIFI_NOTE = "The network the board joins; its password comes from CELLRIG_WIFI_PASSWORD or a --secrets file when flashing.";

/** The rig presets: rigs/<name>.json. */
export function rigPresets(rigsDir: string): string[] {
  return readdirSync(rigsDir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

export interface RigTemplateOptions {
  rigsDir: string;
  preset: string;
  board: BoardProfile;
  /** Where the board publishes; the preset's broker when not given. */
  broker?: { host: string; port: number };
}

/** The preset as a commented rig for `board`; throws with the preset's mistakes on that board when it does not fit. */
export function rigTemplate(options: RigTemplateOptions): { config: RigConfig; text: string } {
  const presets = rigPresets(options.rigsDir);
  if (!presets.includes(options.preset)) throw new Error(`preset "${options.preset}" does not exist: choose one of ${presets.join(", ")}`);
  const raw = JSON.parse(readFileSync(join(options.rigsDir, `${options.preset}.json`), "utf8")) as RigConfig;
  const rig: RigConfig = { ...raw, board: options.board.id, broker: { ...raw.broker, ...options.broker } };
  if (options.board.transport === "wifi" && rig.wifi === undefined) rig.wifi = { ssid: "lab-network" };
  rig.channels = onBoardChipSelects(rig.channels, options.board);
  const config = validateRigConfig(rig, options.board, `preset "${options.preset}" on board ${options.board.id}`);
  return { config, text: `${layout(commented(config), "")}\n` };
}

/**
 * The preset's chip selects moved onto pins the board can drive: presets are written for one board,
 * and a pin name such as D5 does not exist on an STM32 board. Pins the board has are kept.
 */
function onBoardChipSelects(channels: ChannelConfig[], board: BoardProfile): ChannelConfig[] {
  const taken = new Set<string>(board.i2c.flatMap((b) => [b.scl, b.sda]).concat(board.spi.flatMap((b) => [b.sck, b.miso, b.mosi])));
  for (const ch of channels) {
    if ("pin" in ch) taken.add(ch.pin);
    if (ch.sensor === "max31865" && board.gpio.includes(ch.cs)) taken.add(ch.cs);
  }
  const moved = new Map<string, string>();
  return channels.map((ch) => {
    if (ch.sensor !== "max31865" || board.gpio.includes(ch.cs)) return ch;
    let pin = moved.get(ch.cs);
    if (pin === undefined) {
      pin = board.gpio.find((p) => !taken.has(p));
      if (pin === undefined) return ch; // the rig check then says which chip select has no pin
      taken.add(pin);
      moved.set(ch.cs, pin);
    }
    return { ...ch, cs: pin };
  });
}

function commented(config: RigConfig): object {
  const { rig, board, board_id, broker, wifi, frame_s, channels, ...rest } = config;
  return {
    $comment: RIG_NOTE,
    rig,
    board,
    ...(board_id === undefined ? {} : { board_id }),
    broker: { $comment: BROKER_NOTE, ...broker },
    ...(wifi === undefined ? {} : { wifi: { $comment: WIFI_NOTE, ...wifi } }),
    frame_s,
    channels: channels.map((ch) => ({ $comment: SENSOR_NOTES[ch.sensor], ...ch })),
    ...rest,
  };
}

/** JSON with one key per line, but short leaf objects (calibrations, broker) on one line as people write them. */
function layout(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const inner = indent + "  ";
    return `[\n${value.map((v) => inner + layout(v, inner)).join(",\n")}\n${indent}]`;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const flat = `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(", ")} }`;
    if (flat.length <= 90 && !entries.some(([, v]) => typeof v === "object" && v !== null)) return flat;
    const inner = indent + "  ";
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${layout(v, inner)}`).join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}
