import build from "cellrig:build";
import type { ChannelConfig } from "../boards/rig-schema.ts";
import { SPI_MODE } from "../boards/chips/max31865.ts";

interface I2CPins {
  bus: string;
  scl: string;
  sda: string;
}

interface SPIPins {
  bus: string;
  sck: string;
  miso: string;
  mosi: string;
}

/** 400 kHz fast mode: every I2C chip here supports it. */
const I2C_BITRATE = 400000;
/** 1 MHz: well inside the MAX31865's 5 MHz, forgiving of long leads to the cell. */
const SPI_BAUD = 1000000;

function pin(name: string): Pin {
  const p = global[name] as Pin | undefined;
  if (!p) throw new Error("pin " + name + " does not exist on this board");
  return p;
}

function busOf(ch: ChannelConfig): string | undefined {
  return "bus" in ch ? ch.bus : undefined;
}

/** Sets up each I2C and SPI bus a channel uses, on the pins the board profile gives it, once. */
export function setupBuses(channels: ChannelConfig[]): void {
  const done: { [bus: string]: boolean } = {};
  const i2c = build.board.i2c as I2CPins[];
  const spi = build.board.spi as SPIPins[];
  for (let i = 0; i < channels.length; i++) {
    const ch = channels[i];
    const bus = busOf(ch);
    if (bus === undefined || done[bus]) continue;
    let found = false;
    for (let j = 0; j < i2c.length; j++) {
      if (i2c[j].bus !== bus) continue;
      (global[bus] as I2C).setup({ scl: pin(i2c[j].scl), sda: pin(i2c[j].sda), bitrate: I2C_BITRATE });
      found = true;
    }
    for (let j = 0; j < spi.length; j++) {
      if (spi[j].bus !== bus) continue;
      (global[bus] as SPI).setup({ sck: pin(spi[j].sck), miso: pin(spi[j].miso), mosi: pin(spi[j].mosi), mode: SPI_MODE, baud: SPI_BAUD });
      found = true;
    }
    if (!found) throw new Error('channel "' + ch.id + '": board ' + build.board.id + " has no " + bus);
    done[bus] = true;
  }
}
