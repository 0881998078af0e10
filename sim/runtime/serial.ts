import { Duplex } from "node:stream";
import { bytesToString, dataToBytes, stringToBytes } from "./bytes.ts";
import type { BoardHost } from "./host.ts";

/**
 * The board's serial devices: `USB`, `Serial1`, `Bluetooth` (the Nordic UART service) and the
 * loopbacks `LoopbackA`/`LoopbackB` the console can be moved to. Each device the firmware sees is
 * joined to a SimSerialPort that outlives reboots, the host's end of the cable or the radio link:
 * what the firmware writes comes out there, what the host writes arrives as `data` events of byte
 * strings, cut into the pieces the link carries (20 bytes per Bluetooth LE notification at the
 * default MTU, 64 per USB full-speed bulk packet), one piece per event as on a board.
 */

const DEVICES = ["USB", "Serial1", "Bluetooth", "LoopbackA", "LoopbackB"] as const;
export type SerialDeviceName = (typeof DEVICES)[number];

const CHUNK_BYTES: Record<SerialDeviceName, number> = { USB: 64, Serial1: 32, Bluetooth: 20, LoopbackA: 64, LoopbackB: 64 };

/** The host's end of one serial device. */
export class SimSerialPort {
  private connected = true;
  private readonly listeners: ((bytes: Uint8Array) => void)[] = [];
  /** @internal the running boot's receiver, replaced on every boot */
  toBoard: ((bytes: Uint8Array) => void) | undefined;

  constructor(readonly name: SerialDeviceName) {}

  /** Bytes for the firmware; dropped while the link is down or no firmware listens, as on a board. */
  write(bytes: Uint8Array): void {
    if (this.connected && this.toBoard !== undefined) this.toBoard(bytes);
  }

  /** What the firmware writes, as it writes it. */
  onData(fn: (bytes: Uint8Array) => void): void {
    this.listeners.push(fn);
  }

  /** Link up or down (a Bluetooth disconnection, a cable pulled): while down, bytes either way are lost. */
  setConnected(up: boolean): void {
    this.connected = up;
  }

  isConnected(): boolean {
    return this.connected;
  }

  /** A Node stream over this port, for host code written against a real serial port (the gateway). */
  stream(): Duplex {
    const duplex = new Duplex({
      read() {},
      write: (chunk: Buffer, _encoding, done) => {
        this.write(new Uint8Array(chunk));
        done();
      },
    });
    this.onData((bytes) => {
      if (!duplex.destroyed) duplex.push(Buffer.from(bytes));
    });
    return duplex;
  }

  /** @internal bytes the firmware wrote */
  fromBoard(bytes: Uint8Array): void {
    if (!this.connected) return;
    for (const fn of this.listeners) fn(bytes);
  }
}

/** Every serial device of one board, by name. */
export class SimSerialPorts {
  private readonly ports = new Map<SerialDeviceName, SimSerialPort>(DEVICES.map((name) => [name, new SimSerialPort(name)]));

  port(name: SerialDeviceName): SimSerialPort {
    const port = this.ports.get(name);
    if (port === undefined) throw new Error(`no serial device "${name}" (devices: ${DEVICES.join(", ")})`);
    return port;
  }

  /** @internal */
  all(): IterableIterator<SimSerialPort> {
    return this.ports.values();
  }
}

/** Defines the serial device objects for one boot. */
export function installSerial(host: BoardHost, ports: SimSerialPorts, define: (name: string, value: unknown) => void): void {
  const { realm } = host;
  for (const port of ports.all()) {
    const handlers: unknown[] = [];
    host.addRoots(() => handlers);
    const device = realm.object({
      write(...data: unknown[]): void {
        port.fromBoard(dataToBytes(realm, data, `${port.name}.write data`));
      },
      print(text: unknown): void {
        port.fromBoard(stringToBytes(String(text)));
      },
      println(text: unknown): void {
        port.fromBoard(stringToBytes(String(text) + "\r\n"));
      },
      on(event: unknown, fn: unknown): void {
        if (event === "data") handlers.push(fn);
      },
      removeAllListeners(): void {
        handlers.length = 0;
      },
      setConsole(): void {},
    });
    const chunk = CHUNK_BYTES[port.name];
    port.toBoard = (bytes) => {
      for (let i = 0; i < bytes.length; i += chunk) {
        const text = bytesToString(bytes.subarray(i, i + chunk));
        host.after(0, () => {
          for (const fn of handlers) host.invoke(fn, device, [text]);
        });
      }
    };
    host.onShutdown(() => {
      port.toBoard = undefined;
    });
    define(port.name, device);
  }
}
