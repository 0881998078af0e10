// The fixed-size packets a client sends: PUBACK (§3.4), PINGREQ (§3.12), DISCONNECT (§3.14).
import type { PacketWriter } from "./packet-writer.ts";
import { DISCONNECT, PINGREQ, PUBACK } from "./packet-types.ts";

export function writePuback(w: PacketWriter, packetId: number): void {
  w.fixedHeader(PUBACK << 4, 2);
  w.u16(packetId);
}

export function writePingreq(w: PacketWriter): void {
  w.fixedHeader(PINGREQ << 4, 0);
}

export function writeDisconnect(w: PacketWriter): void {
  w.fixedHeader(DISCONNECT << 4, 0);
}
