// The Espruino API the firmware may use. Only what ../shared/espruino-subset.md lists as present
// is declared here, so using anything else fails the firmware type check before it fails on a board.

declare function getTime(): number;
declare function getSerial(): string;
declare function setInterval(fn: () => void, ms: number): number;
declare function setTimeout(fn: () => void, ms: number): number;
declare function clearInterval(id: number): void;
declare function clearTimeout(id: number): void;
declare function print(...text: unknown[]): void;
declare function analogRead(pin: Pin): number;

declare var global: { [name: string]: unknown };
declare var console: { log(...text: unknown[]): void };

interface Pin {
  getInfo?(): unknown;
}

interface I2CSetup {
  scl: Pin;
  sda: Pin;
  bitrate?: number;
}

interface I2C {
  setup(options: I2CSetup): void;
  writeTo(address: number, data: number[] | Uint8Array): void;
  readFrom(address: number, count: number): Uint8Array;
}

interface SPISetup {
  sck: Pin;
  miso: Pin;
  mosi: Pin;
  mode?: number;
  baud?: number;
}

interface SPI {
  setup(options: SPISetup): void;
  send(data: number[] | Uint8Array, cs?: Pin): Uint8Array;
}

interface NetSocket {
  write(data: string): void;
  end(): void;
  on(event: "data", fn: (data: string) => void): void;
  on(event: "close" | "end", fn: () => void): void;
  on(event: "error", fn: (err: unknown) => void): void;
}

interface NetModule {
  connect(options: { host: string; port: number }, onConnect: () => void): NetSocket;
}

/** A serial device (USB, Serial1, Bluetooth, LoopbackA): byte strings in and out. */
interface SerialDevice {
  write(data: string): void;
  on(event: "data", fn: (data: string) => void): void;
  /** Moves the REPL console here; `force` keeps it here when another device connects. */
  setConsole(force?: boolean): void;
}

declare var USB: SerialDevice;
declare var Serial1: SerialDevice;
declare var Bluetooth: SerialDevice;
declare var LoopbackA: SerialDevice;

interface StorageModule {
  write(name: string, data: string | Uint8Array, offset?: number, size?: number): boolean;
  read(name: string, offset?: number, length?: number): string | undefined;
  readArrayBuffer(name: string): ArrayBuffer | undefined;
  readJSON(name: string, noExceptions?: boolean): unknown;
  writeJSON(name: string, data: unknown): boolean;
  erase(name: string): void;
  getFree(): number;
  list(pattern?: RegExp | string): string[];
}

interface WifiModule {
  connect(ssid: string, options: { password?: string }, callback: (err: unknown) => void): void;
}

interface Memory {
  free: number;
  usage: number;
  total: number;
}

declare var process: {
  env: { BOARD: string; VERSION: string; [key: string]: unknown };
  memory(): Memory;
};

declare var E: {
  toUint8Array(data: string): Uint8Array;
  toString(data: Uint8Array): string;
  CRC32(data: string | Uint8Array): number;
  getSizeOf(value: unknown): number;
  getErrorFlags(): string[];
  enableWatchdog(seconds: number, autoKick: boolean): void;
  kickWatchdog(): void;
  reboot(): void;
  on(event: "errorFlag", fn: (flags: string[]) => void): void;
};

declare function require(name: "net"): NetModule;
declare function require(name: "Storage"): StorageModule;
declare function require(name: "Wifi"): WifiModule;
