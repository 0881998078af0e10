// Espruino's `net` API (connect → socket taking and giving byte strings) over node:net, so the
// firmware's MQTT client can talk to a real broker in a test. Every socket is recorded, with the
// bytes the firmware wrote, so tests can kill a link or inspect what went out.
import net from "node:net";
import type { MqttNet, MqttSocket } from "../../../firmware/transport/mqtt/net.ts";

export interface RecordedSocket {
  node: net.Socket;
  written: Buffer[];
}

export class EspruinoNet implements MqttNet {
  readonly sockets: RecordedSocket[] = [];

  connect(options: { host: string; port: number }, onConnect: () => void): MqttSocket {
    const node = net.createConnection({ host: options.host, port: options.port }, onConnect);
    const record: RecordedSocket = { node, written: [] };
    this.sockets.push(record);
    const listeners: { [event: string]: ((arg?: unknown) => void)[] } = { data: [], close: [], end: [], error: [] };
    node.on("data", (chunk: Buffer) => listeners.data.forEach((fn) => fn(chunk.toString("latin1"))));
    node.on("end", () => listeners.end.forEach((fn) => fn()));
    node.on("error", (err) => listeners.error.forEach((fn) => fn(err)));
    node.on("close", () => listeners.close.forEach((fn) => fn()));
    const socket = {
      write(data: string): void {
        const bytes = Buffer.from(data, "latin1");
        record.written.push(bytes);
        if (!node.destroyed) node.write(bytes);
      },
      end(): void {
        node.end();
      },
      on(event: string, fn: (arg?: unknown) => void): void {
        listeners[event].push(fn);
      },
    };
    return socket as MqttSocket;
  }

  /** The latest socket, cut without a DISCONNECT (as when a board loses power). */
  kill(): void {
    this.sockets[this.sockets.length - 1].node.destroy();
  }

  /** All bytes the firmware wrote on socket `index`. */
  writtenOn(index: number): Buffer {
    return Buffer.concat(this.sockets[index].written);
  }
}
