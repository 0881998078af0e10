// A stand-in for Espruino's `net` whose sockets the test drives by hand: opening, feeding broker
// packets, failing, closing. With fake timers this runs the client on virtual time.
import type { Packet } from "mqtt-packet";
import type { MqttNet, MqttSocket } from "../../../firmware/transport/mqtt/net.ts";
import { generate, parsePackets } from "./mqtt-packet-io.ts";

type Listener = (arg?: unknown) => void;

export class ScriptedSocket implements MqttSocket {
  readonly written: Buffer[] = [];
  ended = false;
  private readonly listeners: { [event: string]: Listener[] } = { data: [], close: [], end: [], error: [] };
  private readonly onConnect: () => void;

  constructor(onConnect: () => void) {
    this.onConnect = onConnect;
  }

  write(data: string): void {
    this.written.push(Buffer.from(data, "latin1"));
  }

  end(): void {
    this.ended = true;
  }

  on(event: string, fn: (arg: never) => void): void {
    this.listeners[event].push(fn as Listener);
  }

  /** The TCP connection is up. */
  open(): void {
    this.onConnect();
  }

  receive(packet: Packet | Buffer): void {
    const bytes = Buffer.isBuffer(packet) ? packet : generate(packet);
    this.listeners.data.forEach((fn) => fn(bytes.toString("latin1")));
  }

  fail(message: string): void {
    this.listeners.error.forEach((fn) => fn(new Error(message)));
    this.close();
  }

  close(): void {
    this.listeners.close.forEach((fn) => fn());
  }

  packets(): Packet[] {
    return parsePackets(Buffer.concat(this.written));
  }
}

export class ScriptedNet implements MqttNet {
  readonly sockets: ScriptedSocket[] = [];

  connect(_options: { host: string; port: number }, onConnect: () => void): ScriptedSocket {
    const socket = new ScriptedSocket(onConnect);
    this.sockets.push(socket);
    return socket;
  }

  get last(): ScriptedSocket {
    return this.sockets[this.sockets.length - 1];
  }
}
