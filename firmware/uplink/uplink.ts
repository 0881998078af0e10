import { CborWriter } from "../../protocol/wire/cbor-writer.ts";
import { writeValue } from "../../protocol/wire/cbor-value.ts";
import { KINDS, topic } from "../../protocol/wire/topics.ts";
import { PROTOCOL_VERSION } from "../../protocol/wire/data-frame.ts";
import { MqttClient } from "../transport/mqtt/client.ts";
import { Outbox } from "./outbox.ts";

export interface UplinkOptions {
  rig: string;
  board: string;
  boot: number;
  host: string;
  port: number;
  keepAlive_s: number;
  username?: string;
  password?: string;
  /** Builds the birth message when the link comes up, so it carries the current sequence number. */
  birth: () => object;
  outboxFrames: number;
}

function encode(value: object, capacity: number): Uint8Array {
  const w = new CborWriter(capacity);
  writeValue(w, value);
  return new Uint8Array(w.bytes());
}

/**
 * The board's link to the broker: announces the board with a retained birth on every connect,
 * registers the death message as its last will, and delivers data frames at QoS 1 in order.
 */
export class Uplink {
  private readonly opts: UplinkOptions;
  private readonly client: MqttClient;
  private readonly outbox: Outbox;
  private readonly dataTopic: string;
  private connected = false;

  constructor(opts: UplinkOptions) {
    this.opts = opts;
    this.outbox = new Outbox(opts.outboxFrames);
    this.dataTopic = topic(opts.rig, opts.board, "data");
    const death = KINDS.death;
    this.client = new MqttClient({
      host: opts.host,
      port: opts.port,
      clientId: "cellrig-" + opts.rig + "-" + opts.board,
      username: opts.username,
      password: opts.password,
      keepAlive_s: opts.keepAlive_s,
      will: { topic: topic(opts.rig, opts.board, "death"), payload: encode({ b: opts.boot, v: PROTOCOL_VERSION }, 32), qos: death.qos, retain: death.retain },
      net: require("net"),
      now_s: getTime,
    });
    const self = this;
    this.client.onState(function (state) {
      self.connected = state === "connected";
      if (self.connected) {
        self.announce();
        self.pump();
      }
    });
    this.client.onAck(function (packetId) {
      self.outbox.acknowledge(packetId);
      self.pump();
    });
  }

  start(): void {
    this.client.connect();
  }

  /** Queues one encoded data frame (the caller's buffer is copied, so it may be reused at once). */
  send(frame: Uint8Array): void {
    this.outbox.push(new Uint8Array(frame));
    this.pump();
  }

  get dropped(): number {
    return this.outbox.dropped;
  }

  private announce(): void {
    const birth = KINDS.birth;
    const o = this.opts;
    this.client.publish(topic(o.rig, o.board, "birth"), encode(o.birth(), 2048), birth.qos, birth.retain);
  }

  private pump(): void {
    if (!this.connected) return;
    const client = this.client;
    const dataTopic = this.dataTopic;
    const data = KINDS.data;
    this.outbox.pump(function (frame) {
      return client.publish(dataTopic, frame, data.qos, data.retain);
    });
  }
}
