// The board's MQTT 3.1.1 client: QoS 0/1 publishing with a bounded number of publishes awaiting
// their PUBACK, QoS 0/1 subscriptions, keep-alive, and reconnection with backoff. Espruino's own
// MQTT module is QoS 0 only and is fetched at upload time, so the firmware carries this one.
//
// Session: CONNECT always has clean session 0, so the broker keeps the board's subscriptions and the
// QoS 1 commands sent while it was away. The client id must therefore be stable and unique per
// board. The client keeps no copies of what it publishes: when the link drops, every publish not yet
// acknowledged is forgotten (onState reports "disconnected" first), and the caller, which owns the
// data, publishes it again after the reconnect under new packet ids (the board's store does). MQTT
// 3.1.1 requires re-sending only on reconnect (§4.4), so nothing is re-sent while connected either.
import { PacketWriter } from "./packet-writer.ts";
import { PacketParser, type PacketHandler } from "./parser.ts";
import { writeConnect, type Will } from "./connect.ts";
import { checkPublishTopic, writePublishHeader } from "./publish.ts";
import { writeSubscribe } from "./subscribe.ts";
import { writeDisconnect, writePingreq, writePuback } from "./short-packets.ts";
import { connackRefusal } from "./connack.ts";
import { Backoff, xorshift32 } from "./backoff.ts";
import { PUBLISH } from "./packet-types.ts";
import { toByteString } from "./byte-string.ts";
import type { MqttNet, MqttSocket } from "./net.ts";

export type LinkState = "connected" | "disconnected";

export interface MqttClientOptions {
  host: string;
  port: number;
  clientId: string;
  username?: string;
  password?: string;
  /** Sent in CONNECT; 0 turns keep-alive off. */
  keepAlive_s: number;
  will: Will;
  net: MqttNet;
  now_s: () => number;
  /** QoS 1 publishes awaiting PUBACK at once; default 8. */
  window?: number;
  /** Time before a missing CONNACK drops the link; default 10 s. */
  ackTimeout_s?: number;
  /** Uniform numbers in [0, 1) for the reconnect jitter; default xorshift32 seeded from the client id and the clock. */
  random?: () => number;
  /** Largest packet the board accepts (incoming commands); default 1024 bytes. */
  rxCapacity_B?: number;
  /** Largest CONNECT, SUBSCRIBE or PUBLISH header the board sends; default 256 bytes. */
  txCapacity_B?: number;
}

interface Subscription {
  filter: string;
  qos: 0 | 1;
  /** Of the latest SUBSCRIBE, to match its SUBACK. */
  packetId: number;
}

const TICK_ms = 500;

function seedFrom(text: string, now_s: number): number {
  let h = Math.floor(now_s * 1000) | 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return h;
}

function describe(err: unknown): string {
  if (err && typeof err === "object" && typeof (err as { message?: unknown }).message === "string") {
    return (err as { message: string }).message;
  }
  return String(err);
}

export class MqttClient {
  private readonly o: MqttClientOptions;
  private readonly broker: string;
  private readonly ackTimeout_s: number;
  private readonly rxCapacity_B: number;
  private readonly tx: PacketWriter;
  private readonly parser: PacketParser;
  private readonly window: number;
  /** Packet ids of the QoS 1 publishes awaiting their PUBACK. */
  private inFlightIds: number[] = [];
  private readonly backoff: Backoff;
  private readonly subscriptions: Subscription[] = [];

  private socket: MqttSocket | undefined;
  private connected = false;
  private stopped = true;
  private lastPacketId = 0;
  private openedAt_s = 0;
  private lastSent_s = 0;
  /** When the outstanding PINGREQ went out, or -1 if none is outstanding. */
  private pingSentAt_s = -1;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  private messageFn: ((topic: string, payload: Uint8Array) => void) | undefined;
  private ackFn: ((packetId: number) => void) | undefined;
  private stateFn: ((state: LinkState) => void) | undefined;
  private errorFn: ((message: string) => void) | undefined;

  constructor(options: MqttClientOptions) {
    if (options.clientId.length === 0) {
      throw new Error("MQTT client id is empty: a persistent session (clean session 0) needs a stable, unique id");
    }
    this.o = options;
    this.broker = "MQTT broker " + options.host + ":" + options.port;
    this.ackTimeout_s = options.ackTimeout_s === undefined ? 10 : options.ackTimeout_s;
    this.tx = new PacketWriter(options.txCapacity_B === undefined ? 256 : options.txCapacity_B);
    this.window = options.window === undefined ? 8 : options.window;
    this.backoff = new Backoff(
      options.random === undefined ? xorshift32(seedFrom(options.clientId, options.now_s())) : options.random,
    );
    this.rxCapacity_B = options.rxCapacity_B === undefined ? 1024 : options.rxCapacity_B;
    this.parser = new PacketParser(this.rxCapacity_B, this.handler());
  }

  /** One handler each; a later call replaces the earlier one. */
  onMessage(fn: (topic: string, payload: Uint8Array) => void): void {
    this.messageFn = fn;
  }

  /** The broker acknowledged this QoS 1 packet: its payload may be released. */
  onAck(fn: (packetId: number) => void): void {
    this.ackFn = fn;
  }

  onState(fn: (state: LinkState) => void): void {
    this.stateFn = fn;
  }

  /** Problems worth showing: each names the broker and what to check. Default: console.log. */
  onError(fn: (message: string) => void): void {
    this.errorFn = fn;
  }

  /** QoS 1 publishes not yet acknowledged. */
  inFlight(): number {
    return this.inFlightIds.length;
  }

  /** Starts connecting; the client keeps reconnecting until disconnect(). */
  connect(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.backoff.reset();
    this.open();
  }

  /**
   * Sends at once while connected. QoS 1: returns the packet id onAck will report, or -1 when not
   * connected or `window` publishes already await their PUBACK (the caller keeps the data and tries
   * again after an ack or a reconnect). QoS 0: returns 0, or -1 when not connected.
   */
  publish(topic: string, payload: Uint8Array, qos: 0 | 1, retain: boolean): number {
    checkPublishTopic(topic);
    if (!this.connected || (qos === 1 && this.inFlightIds.length === this.window)) return -1;
    let packetId = 0;
    if (qos === 1) {
      packetId = this.nextPacketId();
      this.inFlightIds.push(packetId);
    }
    this.tx.reset();
    writePublishHeader(this.tx, { topic: topic, payloadLength_B: payload.length, qos: qos, retain: retain, dup: false, packetId: packetId });
    this.write(this.tx.toByteString());
    if (payload.length > 0) this.write(toByteString(payload));
    return packetId;
  }

  /** Subscribes now if connected, and again on every connect the broker has no session for. */
  subscribe(filter: string, qos: 0 | 1): void {
    let entry: Subscription | undefined;
    for (let i = 0; i < this.subscriptions.length; i++) {
      if (this.subscriptions[i].filter === filter) entry = this.subscriptions[i];
    }
    if (entry === undefined) {
      entry = { filter: filter, qos: qos, packetId: 0 };
      this.subscriptions.push(entry);
    }
    entry.qos = qos;
    if (this.connected) this.sendSubscribe(entry);
  }

  /** Sends DISCONNECT (so the broker does not publish the will) and stops reconnecting. */
  disconnect(): void {
    this.stopped = true;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const socket = this.socket;
    if (socket === undefined) return;
    if (this.connected) {
      this.tx.reset();
      writeDisconnect(this.tx);
      socket.write(this.tx.toByteString());
    }
    this.closed(socket);
    socket.end();
  }

  private handler(): PacketHandler {
    const self = this;
    return {
      connack: function (sessionPresent, returnCode) {
        self.connack(sessionPresent, returnCode);
      },
      publish: function (topic, payload, qos, packetId) {
        self.incoming(topic, payload, qos, packetId);
      },
      puback: function (packetId) {
        const i = self.inFlightIds.indexOf(packetId);
        if (i < 0) return;
        self.inFlightIds.splice(i, 1);
        self.emitAck(packetId);
      },
      suback: function (packetId, returnCode) {
        self.suback(packetId, returnCode);
      },
      pingresp: function () {
        self.pingSentAt_s = -1;
      },
      tooLarge: function (type, size_B, qos, packetId) {
        self.report(
          self.broker + " sent " + (type === PUBLISH ? "a PUBLISH" : "a packet of type " + type) + " of " +
            size_B + " bytes, more than the " + self.rxCapacity_B + "-byte receive buffer; it was discarded " +
            "(send smaller commands or raise rxCapacity_B)",
        );
        if (type === PUBLISH && qos === 1) self.sendPuback(packetId);
      },
    };
  }

  private report(message: string): void {
    if (this.errorFn !== undefined) this.errorFn(message);
    else console.log(message);
  }

  // The caller's handlers run inside the socket's data callback: their errors are theirs, not
  // a malformed packet, so they are reported apart and never break the link.
  private emitAck(packetId: number): void {
    try {
      if (this.ackFn !== undefined) this.ackFn(packetId);
    } catch (err) {
      this.report("the onAck handler failed for packet " + packetId + ": " + describe(err));
    }
  }

  private emitState(state: LinkState): void {
    try {
      if (this.stateFn !== undefined) this.stateFn(state);
    } catch (err) {
      this.report("the onState handler failed on \"" + state + "\": " + describe(err));
    }
  }

  private open(): void {
    this.reconnectTimer = undefined;
    this.parser.reset();
    this.connected = false;
    this.pingSentAt_s = -1;
    this.openedAt_s = this.o.now_s();
    const self = this;
    let socket: MqttSocket;
    try {
      socket = this.o.net.connect({ host: this.o.host, port: this.o.port }, function () {
        if (self.socket === socket) self.sendConnect();
      });
    } catch (err) {
      this.report(this.broker + ": cannot open a connection (" + describe(err) + "); check the board's network");
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.on("data", function (data) {
      if (self.socket !== socket) return;
      try {
        self.parser.feed(data);
      } catch (err) {
        self.drop(
          self.broker + " sent a malformed packet (" + describe(err) + "); check that this port speaks " +
            "MQTT 3.1.1 over plain TCP (not TLS or WebSocket)",
        );
      }
    });
    socket.on("error", function (err) {
      if (self.socket !== socket) return;
      self.report(
        self.broker + ": connection error (" + describe(err) + "); check that the broker runs, the host " +
          "and port are right and the board's network is up",
      );
    });
    socket.on("close", function () {
      if (self.socket !== socket) return;
      if (self.connected) self.report(self.broker + " closed the connection (check the broker's log)");
      self.closed(socket);
    });
    if (this.tickTimer === undefined) {
      this.tickTimer = setInterval(function () {
        self.tick();
      }, TICK_ms);
    }
  }

  /** Drops the current link on the board's own decision and reconnects later. */
  private drop(message: string): void {
    const socket = this.socket;
    if (socket === undefined) return;
    this.report(message);
    this.closed(socket);
    socket.end();
  }

  /** The link is gone: stop its timers, tell the caller, and schedule the next attempt. */
  private closed(socket: MqttSocket): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    if (this.tickTimer !== undefined) clearInterval(this.tickTimer);
    this.tickTimer = undefined;
    const wasConnected = this.connected;
    this.connected = false;
    this.inFlightIds = [];
    if (wasConnected) this.emitState("disconnected");
    if (!this.stopped) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer !== undefined) return;
    const delay_s = this.backoff.next_s();
    const self = this;
    this.reconnectTimer = setTimeout(function () {
      if (!self.stopped) self.open();
    }, delay_s * 1000);
  }

  private tick(): void {
    if (this.socket === undefined) return;
    const now = this.o.now_s();
    if (!this.connected) {
      if (now - this.openedAt_s >= this.ackTimeout_s) {
        this.drop(
          this.broker + " did not answer CONNECT within " + this.ackTimeout_s + " s; check that this " +
            "port is an MQTT 3.1.1 broker (not TLS or WebSocket)",
        );
      }
      return;
    }
    const keepAlive_s = this.o.keepAlive_s;
    if (keepAlive_s > 0) {
      if (this.pingSentAt_s >= 0) {
        if (now - this.pingSentAt_s >= keepAlive_s) {
          this.drop(
            this.broker + " did not answer PINGREQ within " + keepAlive_s + " s; dropping the " +
              "connection (check the network link to the broker)",
          );
          return;
        }
      } else if (now - this.lastSent_s >= keepAlive_s / 2) {
        this.tx.reset();
        writePingreq(this.tx);
        this.write(this.tx.toByteString());
        this.pingSentAt_s = now;
      }
    }
  }

  private connack(sessionPresent: boolean, returnCode: number): void {
    if (this.connected) {
      this.drop(this.broker + " sent a second CONNACK; reconnecting");
      return;
    }
    if (returnCode !== 0) {
      this.drop(this.broker + " refused the connection: " + connackRefusal(returnCode));
      return;
    }
    this.connected = true;
    this.backoff.reset();
    if (!sessionPresent) {
      for (let i = 0; i < this.subscriptions.length && this.connected; i++) this.sendSubscribe(this.subscriptions[i]);
    }
    if (this.connected) this.emitState("connected");
  }

  private incoming(topic: string, payload: Uint8Array, qos: 0 | 1, packetId: number): void {
    try {
      if (this.messageFn !== undefined) this.messageFn(topic, payload.slice());
    } catch (err) {
      this.report("handling the message on \"" + topic + "\" failed: " + describe(err));
    }
    // acknowledged even when handling failed: otherwise the broker would re-deliver it forever
    if (qos === 1 && this.socket !== undefined) this.sendPuback(packetId);
  }

  private suback(packetId: number, returnCode: number): void {
    if (returnCode !== 0x80) return;
    let filter = "packet " + packetId;
    for (let i = 0; i < this.subscriptions.length; i++) {
      if (this.subscriptions[i].packetId === packetId) filter = "\"" + this.subscriptions[i].filter + "\"";
    }
    this.report(
      this.broker + " refused the subscription to " + filter + " (check the broker's access rules for client id \"" +
        this.o.clientId + "\")",
    );
  }

  private nextPacketId(): number {
    let id = this.lastPacketId;
    do {
      id = id === 65535 ? 1 : id + 1;
    } while (this.inFlightIds.indexOf(id) >= 0);
    this.lastPacketId = id;
    return id;
  }

  private write(data: string): void {
    const socket = this.socket;
    if (socket === undefined) return;
    socket.write(data);
    this.lastSent_s = this.o.now_s();
  }

  private sendConnect(): void {
    const o = this.o;
    this.tx.reset();
    writeConnect(this.tx, {
      clientId: o.clientId,
      cleanSession: false,
      keepAlive_s: o.keepAlive_s,
      username: o.username,
      password: o.password,
      will: o.will,
    });
    this.write(this.tx.toByteString());
  }

  private sendSubscribe(entry: Subscription): void {
    entry.packetId = this.nextPacketId();
    this.tx.reset();
    writeSubscribe(this.tx, entry.packetId, entry.filter, entry.qos);
    this.write(this.tx.toByteString());
  }

  private sendPuback(packetId: number): void {
    this.tx.reset();
    writePuback(this.tx, packetId);
    this.write(this.tx.toByteString());
  }
}
