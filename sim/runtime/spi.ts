import { bytesToString, dataAsBytes } from "./bytes.ts";
import type { BoardHost } from "./host.ts";

/**
 * Virtual SPI buses. Devices are selected by their chip-select pin; with no device selected, MISO
 * floats high and every byte reads 0xFF, as on a board with a pulled-up MISO line.
 */

export interface SPIDevice {
  /** Name of the chip-select pin the device is wired to. */
  readonly cs: string;
  /** `mosi` may be the firmware's own array: read it during the call, never keep or change it. Returns MISO, as long. */
  transfer(mosi: Uint8Array, time_s: number): Uint8Array;
}

export class SimSPIBus {
  private readonly devices = new Map<string, SPIDevice>();

  constructor(readonly name: string) {}

  attach(device: SPIDevice): void {
    this.devices.set(device.cs, device);
  }

  device(cs: string): SPIDevice | undefined {
    return this.devices.get(cs);
  }
}

export function createSPIObject(host: BoardHost, bus: SimSPIBus): object {
  const { realm } = host;
  const sendWhat = `${bus.name}.send data`;
  // A pin's name, as String(pin) gives it, for the last chip-select pin seen: drivers pass the same pin object on every transfer.
  let lastPin: unknown;
  let lastName = "";
  const pinName = (pin: unknown) => {
    if (pin !== lastPin) {
      lastName = String(pin);
      lastPin = pin;
    }
    return lastName;
  };
  return realm.object({
    setup(): void {
      // The virtual bus has no clock rate or mode to configure: devices see whole transfers.
    },
    /** Returns what came back in the form the data went out: a string, a number, or a Uint8Array. */
    send(data: unknown, cs?: unknown): unknown {
      const mosi = dataAsBytes(realm, data, sendWhat);
      const device = cs === undefined ? undefined : bus.device(pinName(cs));
      const miso = device === undefined ? new Uint8Array(mosi.length).fill(0xff) : device.transfer(mosi, host.clock.now_s());
      if (typeof data === "string") return bytesToString(miso);
      if (typeof data === "number") return miso[0];
      return realm.bytes(miso);
    },
  });
}
