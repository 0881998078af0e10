// mqtt-packet as the independent reference for MQTT 3.1.1 bytes.
import mqttPacket, { type Packet } from "mqtt-packet";

/** Every complete packet in `bytes`, parsed as MQTT 3.1.1 (protocol level 4). */
export function parsePackets(bytes: Uint8Array): Packet[] {
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  const packets: Packet[] = [];
  const errors: Error[] = [];
  parser.on("packet", (p: Packet) => packets.push(p));
  parser.on("error", (e: Error) => errors.push(e));
  parser.parse(Buffer.from(bytes));
  if (errors.length > 0) throw errors[0];
  return packets;
}

export function parsePacket(bytes: Uint8Array): Packet {
  const packets = parsePackets(bytes);
  if (packets.length !== 1) throw new Error("expected one packet, parsed " + packets.length);
  return packets[0];
}

export function generate(packet: Packet): Buffer {
  return mqttPacket.generate(packet, { protocolVersion: 4 });
}
