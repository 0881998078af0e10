import { describe, expect, it } from "vitest";
import { I2C_NACK, type I2CDevice } from "../../../sim/runtime/i2c.ts";
import type { SPIDevice } from "../../../sim/runtime/spi.ts";
import { bootBoard, START_s } from "./board-fixture.ts";

/** A register-file device: a write sets the register pointer (and writes on), a read streams from it. */
class RegisterDevice implements I2CDevice {
  readonly registers = new Uint8Array(16).map((_, i) => 0xa0 + i);
  readonly writes: { bytes: number[]; time_s: number }[] = [];
  private pointer = 0;

  constructor(readonly address: number) {}

  write(bytes: Uint8Array, time_s: number): void {
    this.writes.push({ bytes: [...bytes], time_s });
    this.pointer = bytes[0]!;
    bytes.subarray(1).forEach((b, i) => (this.registers[this.pointer + i] = b));
  }

  read(count: number): Uint8Array {
    return this.registers.slice(this.pointer, this.pointer + count);
  }
}

describe("I2C", () => {
  it("talks to an attached device with numbers, arrays and Uint8Arrays at the current virtual time", () => {
    const device = new RegisterDevice(0x48);
    const board = bootBoard(`
      I2C1.setup({ scl: D22, sda: D21, bitrate: 400000 });
      setTimeout(function () {
        I2C1.writeTo(0x48, [3, 0x11, 0x22]);
        I2C1.writeTo(0x48, 3);
        var a = I2C1.readFrom(0x48, 2);
        I2C1.writeTo(0x48, new Uint8Array([5]));
        var b = I2C1.readFrom(0x48, 1);
        I2C1.writeTo({ address: 0x48 }, 7, [0x33], "\\x44");
        print(a instanceof Uint8Array, a[0], a[1], b[0]);
      }, 500);
    `);
    board.i2c("I2C1").attach(device);
    board.clock.advanceBy(1);
    expect(board.errors).toEqual([]);
    expect(board.output).toEqual([`true ${0x11} ${0x22} ${0xa5}`]);
    expect(device.writes[0]).toEqual({ bytes: [3, 0x11, 0x22], time_s: START_s + 0.5 });
    expect(device.writes[3]).toEqual({ bytes: [7, 0x33, 0x44], time_s: START_s + 0.5 });
  });

  it("throws the interpreter's NACK error for an address with no device", () => {
    const board = bootBoard(`
      I2C1.setup({ scl: D22, sda: D21 });
      try { I2C1.writeTo(0x49, 0); } catch (e) { print(e instanceof Error, e.message); }
      I2C1.readFrom(0x49, 2);
    `);
    expect(board.output[0]).toBe(`true ${I2C_NACK.write}`);
    expect(board.errors.map((e) => e.message)).toEqual([I2C_NACK.read]);
  });

  it("reaches nothing when set up on pins the devices are not wired to", () => {
    const board = bootBoard(`I2C1.setup({ scl: D5, sda: D21 }); I2C1.readFrom(0x48, 1);`);
    board.i2c("I2C1").attach(new RegisterDevice(0x48));
    expect(board.errors.map((e) => e.message)).toEqual([I2C_NACK.read]);
  });

  it("keeps devices attached across a reboot", () => {
    const board = bootBoard(`I2C1.setup({ scl: D22, sda: D21 }); setTimeout(function () { print(I2C1.readFrom(0x48, 1)[0]); }, 10);`);
    board.i2c("I2C1").attach(new RegisterDevice(0x48));
    board.reboot();
    board.clock.advanceBy(0.01);
    expect(board.output).toEqual([`${0xa0}`]);
  });

  it("names the buses a profile has when asked for another", () => {
    const board = bootBoard(``);
    expect(() => board.i2c("I2C2")).toThrow(/no I2C bus "I2C2".*I2C1/);
  });
});

describe("SPI", () => {
  it("exchanges bytes with the device on the chip-select pin, and reads 0xFF with none", () => {
    const device: SPIDevice = { cs: "D5", transfer: (mosi) => mosi.map((b) => b ^ 0xff) };
    const board = bootBoard(`
      SPI1.setup({ sck: D18, miso: D19, mosi: D23 });
      setTimeout(function () {
        var r = SPI1.send([0x0f, 0x00], D5);
        print(r[0], r[1], SPI1.send("A", D5).charCodeAt(0), SPI1.send([1], D18)[0]);
      }, 1);
    `);
    board.spi("SPI1").attach(device);
    board.clock.advanceBy(0.001);
    expect(board.output).toEqual([`${0xf0} 255 ${0x41 ^ 0xff} 255`]);
  });
});
