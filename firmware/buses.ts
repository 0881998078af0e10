import build from "cellrig:build";
import type { ChannelConfig } from "../boards/rig-schema.ts";

interface I2CPins {
  bus: string;
  scl: string;
  sda: string;
}

function pin(name: string): Pin {
  const p = global[name] as Pin | undefined;
  if (!p) throw new Error("pin " + name + " does not exist on this board");
  return p;
}

/** Sets up each I2C bus a channel uses, on the pins the board profile gives it, once. */
export function setupBuses(channels: ChannelConfig[]): void {
  const done: { [bus: string]: boolean } = {};
  const profiles = build.board.i2c as I2CPins[];
  for (let i = 0; i < channels.length; i++) {
    const ch = channels[i];
    if (ch.sensor !== "ads1115" || done[ch.bus]) continue;
    let pins: I2CPins | undefined;
    for (let j = 0; j < profiles.length; j++) if (profiles[j].bus === ch.bus) pins = profiles[j];
    if (!pins) throw new Error('channel "' + ch.id + '": board ' + build.board.id + " has no " + ch.bus);
    (global[ch.bus] as I2C).setup({ scl: pin(pins.scl), sda: pin(pins.sda), bitrate: 400000 });
    done[ch.bus] = true;
  }
}
