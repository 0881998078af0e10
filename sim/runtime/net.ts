import net from "node:net";
import type { Duplex } from "node:stream";
import { bytesToString, dataToBytes, stringToBytes } from "./bytes.ts";
import type { BoardHost } from "./host.ts";
import { MqttExchange, type ExchangeCounters } from "./mqtt-exchange.ts";
import { streamPair } from "./stream-pair.ts";

/**
 * `require("net")` backed by real TCP sockets, so the simulated firmware talks to a real broker, or,
 * for a peer in this process (the embedded broker), by an in-memory connection that behaves alike.
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
  /**
   * Set when the peer runs in this process: it is handed its end of an in-memory connection
   * (stream-pair.ts) instead of the board dialling it over TCP, which saves a socket's system calls
   * and event-loop turns on every packet. The firmware sees the same socket either way. Throwing
   * (with a `code` such as ECONNREFUSED) refuses the connection.
   */
  accept?: (stream: Duplex) => void;
}

/** Conditions on the board's link, each direction alike; omitted fields are ideal. */
export interface LinkConditions {
  /** One-way delay added to every segment, s. */
  latency_s?: number;
  /** Chance that a segment is lost; TCP sends it again after a retransmission timeout. */
  loss?: number;
  /** Capacity of the link, bytes per second. */
  bytesPerSecond?: number;
}

/**
 * Linux's minimum TCP retransmission timeout (TCP_RTO_MIN, 200 ms); each further loss of the same
 * stream in a row doubles it (RFC 6298 §5.5), up to RTO_MAX_s.
 */
const RTO_MIN_s = 0.2;
const RTO_MAX_s = 60;

/** Schedules one direction of a socket under the link's conditions, keeping the byte order TCP guarantees. */
class LinkPipe {
  private free_s = -Infinity;
  private last_s = -Infinity;
  private lossesInARow = 0;

  /** Virtual time at which `bytes` handed over at `now_s` arrive. */
  arrival(now_s: number, bytes: number, link: LinkConditions, random: () => number): number {
    this.free_s = Math.max(now_s, this.free_s) + (link.bytesPerSecond ? bytes / link.bytesPerSecond : 0);
    let t = this.free_s + (link.latency_s ?? 0);
    if (link.loss && random() < link.loss) {
      t += Math.min(RTO_MAX_s, RTO_MIN_s * 2 ** this.lossesInARow);
      this.lossesInARow++;
    } else {
      this.lossesInARow = 0;
    }
    this.last_s = Math.max(t, this.last_s);
    return this.last_s;
  }

  /** When the last bytes handed over arrive. */
  drained_s(): number {
    return this.last_s;
  }

  /** Bytes are still on their way at `now_s`: later ones must queue behind them. */
  busy(now_s: number): boolean {
    return this.last_s > now_s;
  }
}

/** Uniform numbers in [0, 1) from a 32-bit seed (mulberry32): link losses repeat run after run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SimNetworkOptions {
  /** Seed of the link-loss draws. */
  seed?: number;
}

/**
 * The network a board sees. It outlives reboots, and is the simulator's handle for link faults:
 * `cut()` drops every open connection, `setReachable(false)` also makes new connections fail, and
 * `setLink()` adds latency, loss and a capacity limit. It also watches the MQTT exchange on each
 * socket (mqtt-exchange.ts) so the clock can wait for a real broker's answers.
 */
export class SimNetwork {
  /** Counted over every connection, across reboots. */
  readonly counters: ExchangeCounters = { dataFrames: 0, acknowledged: 0, framesAcknowledged: 0 };
  private up = true;
  private conditions: LinkConditions | undefined;
  private readonly live = new Map<Duplex, MqttExchange>();
  readonly random: () => number;

  /** `route` maps the address the firmware asks for to a real one (e.g. its broker name to 127.0.0.1). */
  constructor(
    readonly route: (host: string, port: number) => NetRoute = (host, port) => ({ host, port }),
    options: SimNetworkOptions = {},
  ) {
    this.random = seededRandom(options.seed ?? 1);
  }

  reachable(): boolean {
    return this.up;
  }

  setReachable(up: boolean): void {
    this.up = up;
    if (!up) this.cut();
  }

  /** Link conditions from now on; undefined (or all fields omitted) restores an ideal link. */
  setLink(conditions: LinkConditions | undefined): void {
    const c = conditions ?? {};
    if (c.latency_s !== undefined && !(c.latency_s >= 0)) throw new RangeError(`link latency must be 0 s or more, got ${c.latency_s}`);
    if (c.loss !== undefined && !(c.loss >= 0 && c.loss < 1)) throw new RangeError(`link loss must be a fraction from 0 to below 1, got ${c.loss}`);
    if (c.bytesPerSecond !== undefined && !(c.bytesPerSecond > 0)) throw new RangeError(`link capacity must be a positive number of bytes per second, got ${c.bytesPerSecond}`);
    this.conditions = c.latency_s || c.loss || c.bytesPerSecond ? { ...c } : undefined;
  }

  /** The link's conditions, or undefined when it is ideal. */
  link(): LinkConditions | undefined {
    return this.conditions;
  }

  /** Resets every open connection, as a lost link does: each socket reports an error, then closes. */
  cut(): void {
    for (const socket of this.live.keys()) {
      socket.destroy(Object.assign(new Error("link cut by the simulator"), { code: "ECONNRESET" }));
    }
  }

  openSockets(): number {
    return this.live.size;
  }

  /** Virtual send time of the oldest request on any open socket that the peer has not answered yet. */
  oldestWaiting_s(): number | undefined {
    let oldest: number | undefined;
    for (const exchange of this.live.values()) {
      const t = exchange.oldestWaiting_s();
      if (t !== undefined && (oldest === undefined || t < oldest)) oldest = t;
    }
    return oldest;
  }

  /** @internal used by the net module */
  open(host: string, port: number): { socket: Duplex; exchange: MqttExchange } {
    const target = this.route(host, port);
    const socket = target.accept === undefined ? dial(target) : acceptedBy(target.accept);
    const exchange = new MqttExchange(this.counters);
    this.live.set(socket, exchange);
    socket.on("close", () => this.live.delete(socket));
    return { socket, exchange };
  }
}

function dial(target: NetRoute): Duplex {
  const socket = net.connect({ host: target.host, port: target.port });
  socket.setNoDelay(true);
  return socket;
}

/** The board's end of an in-memory connection to `accept`; it emits 'connect' as a dialled socket does, after the caller has listened. */
function acceptedBy(accept: (stream: Duplex) => void): Duplex {
  const [board, peer] = streamPair();
  try {
    accept(peer);
  } catch (err) {
    process.nextTick(() => board.destroy(err as Error));
    return board;
  }
  process.nextTick(() => {
    if (!board.destroyed) board.emit("connect");
  });
  return board;
}

export function createNetModule(host: BoardHost, network: SimNetwork): object {
  const { realm } = host;
  const errorObject = (err: { code?: string }) => realm.object({ ...(SOCKET_ERRORS[err.code ?? ""] ?? { code: -1, message: `Socket error ${err.code ?? ""}`.trim() }) });

  return realm.object({
    connect(options: { host?: unknown; port?: unknown }, onConnect?: unknown): object {
      const handlers = new Map<string, unknown[]>();
      host.addRoots(() => [onConnect, ...[...handlers.values()].flat()]);
      let tcp: Duplex | undefined;
      let exchange: MqttExchange | undefined;
      const tx = new LinkPipe();
      const rx = new LinkPipe();
      let corked = false;
      // Writes of one burst of callbacks leave in one system call: the socket is corked until the event loop turns.
      const send = (bytes: Uint8Array) => {
        if (tcp === undefined || tcp.destroyed || tcp.writableEnded) return;
        exchange!.written(bytes, host.clock.now_s());
        if (!corked) {
          corked = true;
          tcp.cork();
          const socketToUncork = tcp;
          setImmediate(() => {
            corked = false;
            socketToUncork.uncork();
          });
        }
        tcp.write(bytes);
      };
      const deliver = (text: string) => emit("data", [text]);
      const socket = realm.object({
        write(data: unknown): boolean {
          if (tcp === undefined || tcp.destroyed || tcp.writableEnded) return false;
          const bytes = typeof data === "string" ? stringToBytes(data) : dataToBytes(realm, data, "socket.write data");
          const link = network.link();
          const now_s = host.clock.now_s();
          if (link === undefined && !tx.busy(now_s)) send(bytes);
          else host.after(tx.arrival(now_s, bytes.length, link ?? {}, network.random) - now_s, () => send(bytes));
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
      ({ socket: tcp, exchange } = network.open(String(options.host), Number(options.port)));
      exchange.opening(host.clock.now_s());
      host.onShutdown(() => tcp?.destroy());
      tcp.on("connect", () => {
        exchange!.opened();
        if (!host.alive()) return;
        if (typeof onConnect === "function") host.invoke(onConnect, socket, []);
        emit("connect", []);
      });
      tcp.on("data", (chunk: Buffer) => {
        exchange!.arrived(chunk);
        const link = network.link();
        const now_s = host.clock.now_s();
        for (let i = 0; i < chunk.length; i += MAX_RX_CHUNK_BYTES) {
          const text = bytesToString(chunk.subarray(i, i + MAX_RX_CHUNK_BYTES));
          if (link === undefined && !rx.busy(now_s)) deliver(text);
          else host.after(rx.arrival(now_s, text.length, link ?? {}, network.random) - now_s, () => deliver(text));
        }
      });
      // Events after data still on its way wait for it, so the firmware sees the stream in order.
      const inOrder = (work: () => void) => {
        const now_s = host.clock.now_s();
        if (rx.busy(now_s)) host.after(rx.drained_s() - now_s, work);
        else work();
      };
      tcp.on("end", () => inOrder(() => emit("end", [])));
      tcp.on("error", (err: Error & { code?: string }) => inOrder(() => emit("error", [errorObject(err)])));
      tcp.on("close", () => inOrder(() => emit("close", [])));
      return socket;
    },
  });
}
