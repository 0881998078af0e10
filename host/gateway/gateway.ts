import { crc32 } from "node:zlib";
import mqtt, { type MqttClient } from "mqtt";
import { writeAck } from "../../protocol/wire/ack.ts";
import { CborWriter } from "../../protocol/wire/cbor-writer.ts";
import { writeValue } from "../../protocol/wire/cbor-value.ts";
import { parseCommand } from "../../protocol/wire/command.ts";
import { PROTOCOL_VERSION } from "../../protocol/wire/data-frame.ts";
import {
  FRAME_ALIVE,
  FRAME_BIRTH,
  FRAME_CMD,
  FRAME_DELIVERED,
  FRAME_HEADER_BYTES,
  FRAME_HELLO,
  FRAME_KINDS,
  FRAME_PING,
  decodeFrame,
  encodeFrame,
  frameId,
} from "../../protocol/wire/serial-frame.ts";
import { KINDS, topic, type MessageKind } from "../../protocol/wire/topics.ts";
import { decodeMessage } from "../../protocol/decode/message.ts";
import type { CommandKeys } from "../bridge/command-keys.ts";
import { loginOptions, type BrokerLogin } from "../broker/login.ts";
import { CommandGuard } from "./command-guard.ts";

/**
 * The gateway between one board on a serial link (USB or Bluetooth LE UART) and the broker
 * (docs/PROTOCOL.md "Serial transport"). It republishes each frame's payload unchanged on the topic
 * of the board's birth, with the kind's QoS and retain flag, and tells the board a reliable frame
 * was delivered only once the broker's PUBACK is in: the board's store releases a record on that,
 * so nothing is lost between board and broker, as with the board's own MQTT client. While the broker
 * is away it does not answer the board, whose link then goes down and whose store keeps everything
 * for the backfill. Commands for the board are parsed here with the board protocol's own parser and,
 * for a board with a command key, authenticated here as the board would (command-guard.ts), then
 * passed on as JSON; one that fails either is acked on the board's behalf. When the board falls
 * silent or the gateway stops, it publishes the board's death, as the broker would publish a will.
 */

/** The two ends the gateway needs of a serial port: a real one (serialport) or a simulated board's. */
export interface SerialStream {
  write(bytes: Uint8Array): unknown;
  on(event: "data", fn: (chunk: Buffer) => void): unknown;
  on(event: "close", fn: () => void): unknown;
}

export interface GatewayOptions {
  serial: SerialStream;
  /** mqtt://host:port or mqtts://host:port */
  brokerUrl: string;
  /** The host's broker account and CA (host/broker/login.ts). */
  login?: BrokerLogin;
  /**
   * The host's command keys (the bridge's data folder): a command for a board with a key is
   * forwarded only when its tag, boot and counter pass; without a key file the board takes every
   * command, as a board without a key in Storage does.
   */
  keys?: CommandKeys;
  /** Seconds without a frame from the board before its death is published; default 30. */
  silence_s?: number;
  /** Progress and problems, one line each; default none. */
  log?: (line: string) => void;
}

export interface GatewayCounters {
  /** Frames republished and acknowledged by the broker (QoS 1) or sent (QoS 0). */
  published: number;
  /** Frames that failed COBS or the CRC: the board sends them again. */
  damaged: number;
  /** Frames dropped because the broker was away or the board's birth was not known yet. */
  dropped: number;
  /** Commands passed to the board, and refused here (malformed or not authenticated). */
  commands: number;
  refused: number;
}

/** A frame is at most a birth of many channels; more bytes without a delimiter are noise. */
const MAX_FRAME_BYTES = 16 * 1024;

interface Route {
  rig: string;
  board: string;
  boot: number;
}

export class Gateway {
  readonly counters: GatewayCounters = { published: 0, damaged: 0, dropped: 0, commands: 0, refused: 0 };
  private readonly o: GatewayOptions;
  private readonly client: MqttClient;
  private route: Route | undefined;
  private cmdTopic: string | undefined;
  private guard: { board: string; key: string; check: CommandGuard } | undefined;
  private pending = Buffer.alloc(0);
  private heard_ms = Date.now();
  private deathSent = false;
  private readonly timer: NodeJS.Timeout;
  private closing = false;

  constructor(options: GatewayOptions) {
    this.o = options;
    this.client = mqtt.connect(options.brokerUrl, { protocolVersion: 4, clean: true, reconnectPeriod: 1000, queueQoSZero: false, ...loginOptions(options.login) });
    this.client.on("connect", () => {
      this.log(`broker ${options.brokerUrl} connected`);
      if (this.cmdTopic !== undefined) this.client.subscribe(this.cmdTopic, { qos: 1 });
      this.send(FRAME_HELLO, 0);
    });
    this.client.on("error", (err) => this.log(`broker ${options.brokerUrl}: ${err.message} (check that it runs and the URL is right)`));
    this.client.on("message", (name, payload) => {
      if (name === this.cmdTopic) this.command(new Uint8Array(payload));
    });
    options.serial.on("data", (chunk) => this.received(chunk));
    options.serial.on("close", () => {
      this.log("serial port closed");
      this.publishDeath();
    });
    const silence_ms = (options.silence_s ?? 30) * 1000;
    this.timer = setInterval(() => {
      if (Date.now() - this.heard_ms > silence_ms) this.publishDeath();
    }, Math.min(1000, silence_ms));
  }

  /** The board as its latest birth describes it, once one has arrived. */
  get board(): Route | undefined {
    return this.route;
  }

  /** Publishes the board's death, stops answering and disconnects from the broker. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.timer);
    this.publishDeath();
    await this.client.endAsync();
  }

  private log(line: string): void {
    this.o.log?.(line);
  }

  private send(type: number, id: number, payload: Uint8Array = new Uint8Array(0)): void {
    if (!this.closing) this.o.serial.write(encodeFrame(type, id, payload, crc32));
  }

  private received(chunk: Buffer): void {
    let data = Buffer.concat([this.pending, chunk]);
    let end = data.indexOf(0);
    while (end >= 0) {
      if (end > 0) this.frame(data.subarray(0, end));
      data = data.subarray(end + 1);
      end = data.indexOf(0);
    }
    this.pending = data.length > MAX_FRAME_BYTES ? Buffer.alloc(0) : Buffer.from(data);
  }

  private frame(encoded: Uint8Array): void {
    const body = decodeFrame(encoded, crc32);
    if (body === undefined) {
      this.counters.damaged++;
      return;
    }
    this.heard_ms = Date.now();
    const type = body[0]!;
    const id = frameId(body);
    const payload = body.slice(FRAME_HEADER_BYTES);
    if (!this.client.connected || this.closing) {
      // silence keeps the board's link down, so its store holds everything until the broker is back
      if (type !== FRAME_ALIVE) this.counters.dropped++;
      return;
    }
    if (type === FRAME_ALIVE) {
      this.send(this.route === undefined ? FRAME_HELLO : FRAME_PING, 0);
      return;
    }
    if (type === FRAME_BIRTH) this.birth(payload);
    const kind = FRAME_KINDS[type];
    if (kind === undefined || this.route === undefined) {
      this.counters.dropped++;
      if (this.route === undefined) this.send(FRAME_HELLO, 0);
      return;
    }
    this.publish(kind, payload, id);
  }

  private birth(payload: Uint8Array): void {
    const decoded = decodeMessage("birth", payload);
    if (!decoded.ok) {
      this.log(`the board's birth does not decode (${decoded.error.code}: ${decoded.error.message}); its frames cannot be routed`);
      return;
    }
    const { rig, board, boot } = decoded.message;
    const cmdTopic = topic(rig, board, "cmd");
    if (cmdTopic !== this.cmdTopic) {
      if (this.cmdTopic !== undefined) this.client.unsubscribe(this.cmdTopic);
      this.cmdTopic = cmdTopic;
      this.client.subscribe(cmdTopic, { qos: 1 });
    }
    if (this.route === undefined || this.route.boot !== boot) this.log(`board ${board} of rig ${rig}, boot ${boot}`);
    this.route = { rig, board, boot };
    this.deathSent = false;
  }

  private publish(kind: MessageKind, payload: Uint8Array, id: number): void {
    const route = this.route!;
    const { qos, retain } = KINDS[kind];
    this.client.publish(topic(route.rig, route.board, kind), Buffer.from(payload), { qos, retain }, (err) => {
      if (err) {
        this.log(`publishing the board's ${kind} failed: ${err.message}; the board will send it again`);
        return;
      }
      this.counters.published++;
      if (id > 0) this.send(FRAME_DELIVERED, id);
    });
  }

  private command(payload: Uint8Array): void {
    const route = this.route;
    if (route === undefined) return;
    const parsed = parseCommand(payload);
    if (!parsed.ok) return this.refuse(route, parsed.id, parsed.code, parsed.message);
    const refusal = this.guardFor(route)?.check(parsed.command, route.boot);
    if (refusal !== undefined) {
      this.log(`refused command ${parsed.command.op} (id ${parsed.command.id}) for board ${route.board}: ${refusal}`);
      // the message the board's own ack gives (firmware/commands.ts)
      return this.refuse(route, parsed.command.id, refusal, `command not authenticated: ${refusal}`);
    }
    this.counters.commands++;
    // the board's serial bundle reads JSON and has no tag check of its own: the check was made here
    const { auth: _tag, ...command } = parsed.command;
    this.send(FRAME_CMD, 0, new Uint8Array(Buffer.from(JSON.stringify(command), "latin1")));
  }

  /** The check for the board's key, or undefined when the host holds no key for it. */
  private guardFor(route: Route): CommandGuard | undefined {
    const key = this.o.keys?.get(route.rig, route.board);
    if (key === undefined) {
      this.guard = undefined;
      return undefined;
    }
    // a new key (the board provisioned again) starts a new check
    const hex = key.toString("hex");
    if (this.guard?.board !== route.board || this.guard.key !== hex) this.guard = { board: route.board, key: hex, check: new CommandGuard(route.board, key) };
    return this.guard.check;
  }

  /** Acks a command on the board's behalf, as the board would have refused it. */
  private refuse(route: Route, id: number, code: string, message: string): void {
    this.counters.refused++;
    const w = new CborWriter(640);
    writeAck(w, { boot: route.boot, id, ok: false, code, message });
    this.client.publish(topic(route.rig, route.board, "ack"), Buffer.from(w.bytes()), { qos: 1 });
  }

  private publishDeath(): void {
    const route = this.route;
    if (route === undefined || this.deathSent || !this.client.connected) return;
    this.deathSent = true;
    const w = new CborWriter(32);
    writeValue(w, { b: route.boot, v: PROTOCOL_VERSION });
    this.client.publish(topic(route.rig, route.board, "death"), Buffer.from(w.bytes()), { qos: 1, retain: true });
    this.log(`board ${route.board} silent: death published`);
  }
}
