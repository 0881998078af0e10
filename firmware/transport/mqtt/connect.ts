// CONNECT (MQTT 3.1.1 §3.1).
import { type PacketWriter, checkFieldLength } from "./packet-writer.ts";
import { CONNECT } from "./packet-types.ts";

export interface Will {
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1;
  retain: boolean;
}

export interface ConnectFields {
  clientId: string;
  cleanSession: boolean;
  keepAlive_s: number;
  username?: string;
  password?: string;
  will?: Will;
}

const FLAG_USERNAME = 0x80;
const FLAG_PASSWORD = 0x40;
const FLAG_WILL_RETAIN = 0x20;
const FLAG_WILL = 0x04;
const FLAG_CLEAN_SESSION = 0x02;

/** Protocol name "MQTT", level 4 (3.1.1), flags byte and keep-alive: 10 bytes (§3.1.2). */
const VARIABLE_HEADER_B = 10;

export function writeConnect(w: PacketWriter, c: ConnectFields): void {
  if (!(c.keepAlive_s >= 0 && c.keepAlive_s <= 65535 && Math.floor(c.keepAlive_s) === c.keepAlive_s)) {
    throw new Error("MQTT keep-alive of " + c.keepAlive_s + " s is not a whole number of seconds in 0..65535");
  }
  if (c.password !== undefined && c.username === undefined) {
    // §3.1.2.9: a password needs a user name
    throw new Error("MQTT password given without a user name: set both or neither");
  }
  checkFieldLength("client id", c.clientId.length);
  let flags = c.cleanSession ? FLAG_CLEAN_SESSION : 0;
  let remaining = VARIABLE_HEADER_B + 2 + c.clientId.length;
  const will = c.will;
  if (will !== undefined) {
    checkFieldLength("will topic", will.topic.length);
    checkFieldLength("will payload", will.payload.length);
    flags |= FLAG_WILL | (will.qos << 3) | (will.retain ? FLAG_WILL_RETAIN : 0);
    remaining += 4 + will.topic.length + will.payload.length;
  }
  if (c.username !== undefined) {
    checkFieldLength("user name", c.username.length);
    flags |= FLAG_USERNAME;
    remaining += 2 + c.username.length;
  }
  if (c.password !== undefined) {
    checkFieldLength("password", c.password.length);
    flags |= FLAG_PASSWORD;
    remaining += 2 + c.password.length;
  }
  w.fixedHeader(CONNECT << 4, remaining);
  w.text("MQTT");
  w.byte(4);
  w.byte(flags);
  w.u16(c.keepAlive_s);
  w.text(c.clientId);
  if (will !== undefined) {
    w.text(will.topic);
    w.binary(will.payload);
  }
  if (c.username !== undefined) w.text(c.username);
  if (c.password !== undefined) w.text(c.password);
}
