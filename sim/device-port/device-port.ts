import { createServer, type AddressInfo, type Socket } from "node:net";
import type { VirtualClock } from "../runtime/clock.ts";
import { ConsoleSession } from "./console-session.ts";
import { VirtualDevice, type BoardFactory } from "./virtual-device.ts";

export interface DevicePortOptions {
  /** Makes the board for each boot (see BoardFactory). */
  createBoard: BoardFactory;
  clock: VirtualClock;
  /** Interface to listen on; 127.0.0.1 keeps the port off the network. */
  host?: string;
  /** TCP port; 0 picks a free one. */
  port?: number;
}

export interface DevicePort {
  /** `tcp://host:port`, what `espruino -p` and `cellrig flash --port` take. */
  url: string;
  port: number;
  /** The board behind the port, with its Storage. */
  device: VirtualDevice;
  close(): Promise<void>;
}

/**
 * A simulated board's console on a TCP port, as Espruino's Telnet console offers it: upload tools
 * connect, send statements and read what the board prints, exactly as over a serial port. The
 * board is powered on at once and runs whatever flash holds (nothing, at first).
 */
export async function startDevicePort(options: DevicePortOptions): Promise<DevicePort> {
  const host = options.host ?? "127.0.0.1";
  const device = new VirtualDevice(options.createBoard, options.clock);
  device.powerOn();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.setEncoding("latin1");
    const session = new ConsoleSession(device, (text) => {
      if (socket.writable) socket.write(text, "latin1");
    });
    socket.on("data", (data: string) => session.receive(data));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      session.close();
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      device.close();
      const hint = err.code === "EADDRINUSE" ? " (another device port or program is using it; choose another port or 0 for a free one)" : "";
      reject(new Error(`device port could not listen on ${host}:${options.port ?? 0}: ${err.message}${hint}`));
    });
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `tcp://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    device,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      device.close();
    },
  };
}
