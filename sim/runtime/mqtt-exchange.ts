/**
 * Watches the MQTT 3.1.1 packets crossing one simulated socket, without changing them, to know
 * which of the board's requests still wait for the broker's answer (CONNECT, QoS 1 PUBLISH,
 * SUBSCRIBE, UNSUBSCRIBE, PINGREQ) and how many data frames went out. The simulator uses it to keep
 * virtual time from running past a reply that a real broker has not sent yet (VirtualClock
 * `holdAt`), so a fast simulation never makes the firmware's own timeouts fire.
 *
 * Packet layout: one byte of type and flags, the remaining length as a variable-length integer of
 * up to four bytes, then the body (MQTT 3.1.1 §2.2); a PUBLISH body starts with its topic (two
 * length bytes, then the name) and, at QoS 1, the packet id (§3.3.2).
 */

const CONNECT = 1;
const CONNACK = 2;
const PUBLISH = 3;
const PUBACK = 4;
const SUBSCRIBE = 8;
const SUBACK = 9;
const UNSUBSCRIBE = 10;
const UNSUBACK = 11;
const PINGREQ = 12;
const PINGRESP = 13;
/** PUBLISH flag bits (§3.3.1): DUP, and QoS in bits 1-2. */
const DUP = 0x08;
const QOS_SHIFT = 1;
/** Body bytes kept of each packet: enough for a topic of protocol v1 and the packet id after it. */
const HEAD_BYTES = 128;
const DATA_SUFFIX = "/data";

type PacketSink = (type: number, flags: number, head: Uint8Array, headLength: number, bodyLength: number) => void;

/** Splits a byte stream into MQTT packets, whatever the chunking; keeps the first bytes of each body. */
class PacketFramer {
  private state: "type" | "length" | "body" = "type";
  private type = 0;
  private flags = 0;
  private length = 0;
  private multiplier = 1;
  private remaining = 0;
  private readonly head = new Uint8Array(HEAD_BYTES);
  private headLength = 0;

  constructor(private readonly sink: PacketSink) {}

  push(bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length) {
      if (this.state === "type") {
        const b = bytes[i++]!;
        this.type = b >> 4;
        this.flags = b & 0x0f;
        this.length = 0;
        this.multiplier = 1;
        this.state = "length";
      } else if (this.state === "length") {
        const b = bytes[i++]!;
        this.length += (b & 0x7f) * this.multiplier;
        this.multiplier *= 128;
        if ((b & 0x80) === 0) this.begin();
      } else {
        const take = Math.min(this.remaining, bytes.length - i);
        const keep = Math.min(take, HEAD_BYTES - this.headLength);
        for (let k = 0; k < keep; k++) this.head[this.headLength++] = bytes[i + k]!;
        i += take;
        this.remaining -= take;
        if (this.remaining === 0) this.end();
      }
    }
  }

  private begin(): void {
    this.remaining = this.length;
    this.headLength = 0;
    if (this.remaining === 0) this.end();
    else this.state = "body";
  }

  private end(): void {
    this.state = "type";
    this.sink(this.type, this.flags, this.head, this.headLength, this.length);
  }
}

/** Packet id after a PUBLISH topic, or of a PUBACK/SUBSCRIBE/SUBACK/UNSUBSCRIBE/UNSUBACK. */
function packetIdAt(head: Uint8Array, headLength: number, offset: number): number | undefined {
  return offset + 2 <= headLength ? (head[offset]! << 8) | head[offset + 1]! : undefined;
}

function topicEndsWith(head: Uint8Array, headLength: number, suffix: string): boolean {
  if (headLength < 2) return false;
  const end = 2 + ((head[0]! << 8) | head[1]!);
  if (end > headLength || end - 2 < suffix.length) return false;
  for (let k = 0; k < suffix.length; k++) if (head[end - suffix.length + k] !== suffix.charCodeAt(k)) return false;
  return true;
}

export interface ExchangeCounters {
  /** Data frames published (first sends only; a resend with DUP is not a new frame). */
  dataFrames: number;
  /** QoS 1 publishes the broker acknowledged. */
  acknowledged: number;
  /** Data frames the broker acknowledged (each once, however often it was sent). */
  framesAcknowledged: number;
}

export class MqttExchange {
  /** Virtual send time of each request awaiting its answer, by kind and packet id. */
  private connect_s: number | undefined;
  private ping_s: number | undefined;
  private readonly byId = new Map<number, number>();
  /** Packet ids of the waiting publishes that carry a data frame. */
  private readonly frameIds = new Set<number>();
  private readonly out: PacketFramer;
  private readonly in: PacketFramer;
  private now_s = 0;

  constructor(private readonly counters: ExchangeCounters) {
    this.out = new PacketFramer((type, flags, head, headLength) => this.sent(type, flags, head, headLength));
    this.in = new PacketFramer((type, _flags, head, headLength) => this.received(type, head, headLength));
  }

  /** Bytes the board wrote to the broker at virtual time `now_s`. */
  written(bytes: Uint8Array, now_s: number): void {
    this.now_s = now_s;
    this.out.push(bytes);
  }

  /** Bytes that arrived from the broker. */
  arrived(bytes: Uint8Array): void {
    this.in.push(bytes);
  }

  /** The connection itself is being set up (TCP handshake): it waits like a request. */
  opening(now_s: number): void {
    this.connect_s = now_s;
  }

  opened(): void {
    this.connect_s = undefined;
  }

  /** Virtual send time of the oldest request still unanswered, or undefined. */
  oldestWaiting_s(): number | undefined {
    let oldest = this.connect_s;
    if (this.ping_s !== undefined && (oldest === undefined || this.ping_s < oldest)) oldest = this.ping_s;
    for (const t of this.byId.values()) if (oldest === undefined || t < oldest) oldest = t;
    return oldest;
  }

  private sent(type: number, flags: number, head: Uint8Array, headLength: number): void {
    if (type === CONNECT) this.connect_s ??= this.now_s;
    else if (type === PINGREQ) this.ping_s ??= this.now_s;
    else if (type === SUBSCRIBE || type === UNSUBSCRIBE) this.wait(packetIdAt(head, headLength, 0));
    else if (type === PUBLISH) {
      const qos = (flags >> QOS_SHIFT) & 3;
      const topicEnd = headLength >= 2 ? 2 + ((head[0]! << 8) | head[1]!) : headLength;
      const id = qos > 0 ? packetIdAt(head, headLength, topicEnd) : undefined;
      this.wait(id);
      if (!topicEndsWith(head, headLength, DATA_SUFFIX)) return;
      if ((flags & DUP) === 0) this.counters.dataFrames++;
      if (id !== undefined) this.frameIds.add(id);
    }
  }

  private wait(id: number | undefined): void {
    if (id !== undefined && !this.byId.has(id)) this.byId.set(id, this.now_s);
  }

  private received(type: number, head: Uint8Array, headLength: number): void {
    if (type === CONNACK) this.connect_s = undefined;
    else if (type === PINGRESP) this.ping_s = undefined;
    else if (type === PUBACK || type === SUBACK || type === UNSUBACK) {
      const id = packetIdAt(head, headLength, 0);
      if (id === undefined || !this.byId.delete(id) || type !== PUBACK) return;
      this.counters.acknowledged++;
      if (this.frameIds.delete(id)) this.counters.framesAcknowledged++;
    }
  }
}
