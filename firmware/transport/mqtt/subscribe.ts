// SUBSCRIBE (MQTT 3.1.1 §3.8) with one topic filter per packet, so each SUBACK names one topic.
import { type PacketWriter, checkFieldLength } from "./packet-writer.ts";
import { SUBSCRIBE } from "./packet-types.ts";

export function writeSubscribe(w: PacketWriter, packetId: number, filter: string, qos: 0 | 1): void {
  checkFieldLength("topic filter", filter.length);
  // §3.8.1: the fixed header's flags are 0010
  w.fixedHeader((SUBSCRIBE << 4) | 0x02, 2 + 2 + filter.length + 1);
  w.u16(packetId);
  w.text(filter);
  w.byte(qos);
}
