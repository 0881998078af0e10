import { CborWriter } from "../../protocol/wire/cbor-writer.ts";
import { writeValue } from "../../protocol/wire/cbor-value.ts";
import { KINDS, topic, type MessageKind } from "../../protocol/wire/topics.ts";
import { PROTOCOL_VERSION } from "../../protocol/wire/data-frame.ts";
import { MqttClient } from "../transport/mqtt/client.ts";
import type { MqttNet } from "../transport/mqtt/net.ts";
import { KIND_ACK, KIND_ALARM, KIND_DATA, type RecordMeta } from "../store/record.ts";
import { KIND_GAP, Store } from "../store/store.ts";

/** Records the store may have in flight at once; the MQTT window adds one slot each for birth and gap. */
const STORE_WINDOW = 4;

export interface UplinkOptions {
  rig: string;
  board: string;
  boot: number;
  host: string;
  port: number;
  keepAlive_s: number;
  username?: string;
  password?: string;
  net: MqttNet;
  /** Builds the birth message when the link comes up, so it carries the current sequence number and health. */
  birth: () => object;
  /** A payload arrived on the board's `cmd` topic. */
  command: (payload: Uint8Array) => void;
  ram_B: number;
  flashSegments: number;
}

function encode(value: object, capacity: number): Uint8Array {
  const w = new CborWriter(capacity);
  writeValue(w, value);
  return new Uint8Array(w.bytes());
}

/**
 * The board's link to the broker: announces the board with a retained birth on every connect,
 * registers the death message as its last will, listens for commands, and delivers every stored
 * message (data, alarm, ack, gap) at QoS 1 in order through the store.
 */
export class Uplink {
  private readonly opts: UplinkOptions;
  private readonly client: MqttClient;
  readonly store: Store;
  /** Topic of each record kind (KIND_*). */
  private readonly topics: string[];
  private readonly cmdTopic: string;
  private connected = false;
  /** Times the link came up in this boot. */
  connects = 0;

  constructor(opts: UplinkOptions) {
    this.opts = opts;
    const t: string[] = [];
    t[KIND_DATA] = topic(opts.rig, opts.board, "data");
    t[KIND_ALARM] = topic(opts.rig, opts.board, "alarm");
    t[KIND_ACK] = topic(opts.rig, opts.board, "ack");
    t[KIND_GAP] = topic(opts.rig, opts.board, "gap");
    this.topics = t;
    this.cmdTopic = topic(opts.rig, opts.board, "cmd");
    const death = KINDS.death;
    this.client = new MqttClient({
      host: opts.host,
      port: opts.port,
      clientId: "cellrig-" + opts.rig + "-" + opts.board,
      username: opts.username,
      password: opts.password,
      keepAlive_s: opts.keepAlive_s,
      will: { topic: topic(opts.rig, opts.board, "death"), payload: encode({ b: opts.boot, v: PROTOCOL_VERSION }, 32), qos: death.qos, retain: death.retain },
      net: opts.net,
      now_s: getTime,
      window: STORE_WINDOW + 2,
      // a birth with its channels and health is the largest packet header the board sends
      txCapacity_B: 256,
    });
    const self = this;
    const client = this.client;
    this.store = new Store({
      storage: require("Storage"),
      ram_B: opts.ram_B,
      flashSegments: opts.flashSegments,
      window: STORE_WINDOW,
      link: {
        publish: function (kind, payload) {
          return client.publish(self.topics[kind], payload, 1, false);
        },
      },
    });
    this.client.subscribe(this.cmdTopic, KINDS.cmd.qos);
    this.client.onMessage(function (topicName, payload) {
      if (topicName === self.cmdTopic) self.opts.command(payload);
    });
    this.client.onState(function (state) {
      self.connected = state === "connected";
      if (self.connected) {
        self.connects++;
        self.announce();
        self.store.up();
      } else {
        client.abandonInFlight();
        self.store.down();
      }
    });
    this.client.onAck(function (packetId) {
      self.store.acked(packetId);
    });
  }

  get up(): boolean {
    return this.connected;
  }

  start(): void {
    this.client.connect();
  }

  /** Queues a message that must reach the host; the payload is copied. */
  push(meta: RecordMeta, payload: Uint8Array): void {
    this.store.push(meta, payload);
  }

  /** Publishes at once with the kind's QoS, if the link is up; nothing is kept (health). */
  publishNow(kind: MessageKind, payload: Uint8Array): void {
    if (!this.connected) return;
    const k = KINDS[kind];
    this.client.publish(topic(this.opts.rig, this.opts.board, kind), payload, k.qos, k.retain);
  }

  /** Publishes the birth again (after a configuration change). */
  announce(): void {
    if (!this.connected) return;
    const birth = KINDS.birth;
    const o = this.opts;
    this.client.publish(topic(o.rig, o.board, "birth"), encode(o.birth(), 2048), birth.qos, birth.retain);
  }
}
