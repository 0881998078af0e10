import { dataAsBytes } from "./bytes.ts";
import type { BoardHost } from "./host.ts";

/**
 * Virtual I2C buses. A bus belongs to the board (devices stay attached across reboots, like wiring);
 * each boot gets a fresh `I2Cn` object for the firmware. Devices are twins of real chips: they see
 * the bytes of each transaction and the virtual time at which it happens.
 */

export interface I2CDevice {
  /** 7-bit address. */
  readonly address: number;
  /** `bytes` may be the firmware's own array: read it during the call, never keep or change it. */
  write(bytes: Uint8Array, time_s: number): void;
  read(count: number, time_s: number): Uint8Array;
}

/**
 * What the interpreter throws when no device acknowledges its address, worded as the ESP32 port
 * does it (targets/esp32/jshardwareI2c.c in the Espruino source).
 */
export const I2C_NACK = {
  write: "jshI2CWrite: slave doesn't ACK the transfer",
  read: "jshI2CRead: slave doesn't ACK the transfer",
} as const;

export class SimI2CBus {
  private readonly devices = new Map<number, I2CDevice>();

  constructor(
    readonly name: string,
    /** Pins the board's devices are wired to; a setup() on other pins reaches nothing. */
    readonly scl: string,
    readonly sda: string,
  ) {}

  attach(device: I2CDevice): void {
    const taken = this.devices.get(device.address);
    if (taken !== undefined && taken !== device) {
      throw new Error(`${this.name}: address 0x${device.address.toString(16)} is already taken by another device (give one of them a different address)`);
    }
    this.devices.set(device.address, device);
  }

  detach(address: number): void {
    this.devices.delete(address);
  }

  device(address: number): I2CDevice | undefined {
    return this.devices.get(address);
  }
}

export function createI2CObject(host: BoardHost, bus: SimI2CBus): object {
  const { realm } = host;
  const writeWhat = `${bus.name}.writeTo data`;
  let wired: boolean | undefined;
  const target = (addressArg: unknown, direction: "write" | "read"): I2CDevice => {
    if (wired === undefined) throw realm.error("Error", `${bus.name} is not set up: call ${bus.name}.setup({scl: ${bus.scl}, sda: ${bus.sda}}) first`);
    const address =
      typeof addressArg === "number" ? addressArg : typeof addressArg === "object" && addressArg !== null ? Number((addressArg as { address?: unknown }).address) : Number(addressArg);
    const device = wired ? bus.device(address) : undefined;
    if (device === undefined) throw realm.error("Error", I2C_NACK[direction]);
    return device;
  };
  return realm.object({
    setup(options?: { scl?: unknown; sda?: unknown; bitrate?: unknown }): void {
      const scl = options?.scl === undefined ? bus.scl : String(options.scl);
      const sda = options?.sda === undefined ? bus.sda : String(options.sda);
      if (options?.bitrate !== undefined && Number(options.bitrate) < 100) throw realm.error("Error", "Invalid I2C bitrate");
      wired = scl === bus.scl && sda === bus.sda;
    },
    writeTo(address: unknown, data: unknown): void {
      const device = target(address, "write");
      // More data arguments than one are sent one after the other; `arguments` saves a rest array on every write.
      const all = arguments.length > 2 ? Array.prototype.slice.call(arguments, 1) : data;
      device.write(dataAsBytes(realm, all, writeWhat), host.clock.now_s());
    },
    readFrom(address: unknown, count: unknown): Uint8Array {
      const device = target(address, "read");
      const n = typeof count === "number" ? Math.max(0, count | 0) : Math.max(0, Number(count) | 0);
      const bytes = device.read(n, host.clock.now_s());
      if (bytes.length !== n) throw new Error(`${bus.name}: device at 0x${device.address.toString(16)} returned ${bytes.length} bytes for a read of ${n}`);
      return realm.bytes(bytes);
    },
  });
}
