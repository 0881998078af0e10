import net from "node:net";
import { bytesToString, dataToBytes, stringToBytes } from "./bytes.ts";
import type { BoardHost } from "./host.ts";

/**
 * `require("net")` backed by real TCP sockets, so the simulated firmware talks to a real broker.
 * Received data reaches the firmware as byte strings, split into pieces no larger than a TCP segment
 * on the smallest target (ESP8266 lwIP, TCP_MSS 536), so firmware that assumes one `data` event per
 * message fails here as it would on a board.
 */

const MAX_RX_CHUNK_BYTES = 536;

/** Socket error objects as the interpreter hands them out ({code, message}; messages as in network.c). */
const SOCKET_ERRORS: Record<string, { code: number; message: string }> = {
  ECONNRESET: { code: -3, message: "Connection reset" },
  ECONNREFUSED: { code: -7, message: "Connection refused" },
  ETIMEDOUT: { code: -11, message: "Connection timed out" },
  EPIPE: { code: -6, message: "Connection closed" },
};
const NO_CONNECTION = { code: -5, message: "No connection" };

export interface NetRoute {
  host: string;
  port: number;
}

/**
 * The network a board sees. It outlives reboots, and is the simulator's handle for link faults:
 * `cut()` drops every open connection, `setReachable(false)` also makes new connections fail.
 */
export class SimNetwork {
  private up = true;
  private readonly live = new Set<net.Socket>();

  /** `route` maps the address the firmware asks for to a real one (e.g. its broker name to 127.0.0.1). */
  constructor(readonly route: (host: string, port: number) => NetRoute = (host, port) => ({ host, port })) {}

  reachable(): boolean {
    return this.up;
  }

  setReachable(up: boolean): void {
    this.up = up;
    if (!up) this.cut();
  }

  /** Resets every open connection, as a lost link does: each socket reports an error, then closes. */
  cut(): void {
    for (const socket of this.live) {
      socket.destroy(Object.assign(new Error("link cut by the simulator"), { code: "ECONNRESET" }));
    }
  }

  openSockets(): number {
    return this.live.size;
  }

  /** @internal used by the net module */
  open(host: string, port: number): net.Socket {
    const target = this.route(host, port);
    const socket = net.connect({ host: target.host, port: target.port });
    this.live.add(socket);
    socket.on("close", () => this.live.delete(socket));
    return socket;
  }
}

export function createNetModule(host: BoardHost, network: SimNetwork): object {
  const { realm } = host;
  const errorObject = (err: { code?: string }) => realm.object({ ...(SOCKET_ERRORS[err.code ?? ""] ?? { code: -1, message: `Socket error ${err.code ?? ""}`.trim() }) });

  return realm.object({
    connect(options: { host?: unknown; port?: unknown }, onConnect?: unknown): object {
      const handlers = new Map<string, unknown[]>();
      host.addRoots(() => [onConnect, ...[...handlers.values()].flat()]);
      let tcp: net.Socket | undefined;
      const socket = realm.object({
        write(data: unknown): boolean {
          if (tcp === undefined || tcp.destroyed || tcp.writableEnded) return false;
          tcp.write(typeof data === "string" ? stringToBytes(data) : dataToBytes(realm, data, "socket.write data"));
          return true;
        },
        end(): void {
          tcp?.end();
        },
        on(event: unknown, fn: unknown): void {
          const list = handlers.get(String(event)) ?? [];
          list.push(fn);
          handlers.set(String(event), list);
        },
        removeAllListeners(event?: unknown): void {
          if (event === undefined) handlers.clear();
          else handlers.delete(String(event));
        },
      });
      const emit = (event: string, args: unknown[]) => {
        if (!host.alive()) return;
        for (const fn of handlers.get(event) ?? []) host.invoke(fn, socket, args);
      };

      if (!network.reachable()) {
        host.after(0, () => {
          emit("error", [realm.object({ ...NO_CONNECTION })]);
          emit("close", []);
        });
        return socket;
      }
      tcp = network.open(String(options.host), Number(options.port));
      tcp.setNoDelay(true);
      host.onShutdown(() => tcp?.destroy());
      tcp.on("connect", () => {
        if (!host.alive()) return;
        if (typeof onConnect === "function") host.invoke(onConnect, socket, []);
        emit("connect", []);
      });
      tcp.on("data", (chunk: Buffer) => {
        for (let i = 0; i < chunk.length; i += MAX_RX_CHUNK_BYTES) {
          emit("data", [bytesToString(chunk.subarray(i, i + MAX_RX_CHUNK_BYTES))]);
        }
      });
      tcp.on("end", () => emit("end", []));
      tcp.on("error", (err: Error & { code?: string }) => emit("error", [errorObject(err)]));
      tcp.on("close", () => emit("close", []));
      return socket;
    },
  });
}
