// PUBLISH (MQTT 3.1.1 §3.3). Only the header is built here: the payload goes to the socket as
// its own write, so it is never copied into the transmit buffer.
import { type PacketWriter, checkFieldLength } from "./packet-writer.ts";
import { PUBLISH } from "./packet-types.ts";

export interface PublishHeader {
  topic: string;
  payloadLength_B: number;
  qos: 0 | 1;
  retain: boolean;
  /** Set when this is a re-delivery of a QoS 1 packet that was sent before (§3.3.1.1). */
  dup: boolean;
  /** Ignored for QoS 0, which carries no packet identifier. */
  packetId: number;
}

/** Throws unless `topic` can be published to (§4.7: no wildcards, at least one character). */
export function checkPublishTopic(topic: string): void {
  checkFieldLength("topic", topic.length);
  if (topic.length === 0 || topic.indexOf("+") >= 0 || topic.indexOf("#") >= 0) {
    throw new Error("MQTT topic \"" + topic + "\" cannot be published to: it is empty or has a wildcard (+ or #)");
  }
}

export function writePublishHeader(w: PacketWriter, p: PublishHeader): void {
  checkPublishTopic(p.topic);
  const first = (PUBLISH << 4) | (p.dup ? 0x08 : 0) | (p.qos << 1) | (p.retain ? 0x01 : 0);
  w.fixedHeader(first, 2 + p.topic.length + (p.qos > 0 ? 2 : 0) + p.payloadLength_B, p.payloadLength_B);
  w.text(p.topic);
  if (p.qos > 0) w.u16(p.packetId);
}
