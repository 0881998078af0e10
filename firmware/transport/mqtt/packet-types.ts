// MQTT 3.1.1 control packet types (OASIS mqtt-v3.1.1 §2.2.1), the high nibble of the first byte.
export const CONNECT = 1;
export const CONNACK = 2;
export const PUBLISH = 3;
export const PUBACK = 4;
export const SUBSCRIBE = 8;
export const SUBACK = 9;
export const PINGREQ = 12;
export const PINGRESP = 13;
export const DISCONNECT = 14;

/** Largest remaining length the 4-byte varint can express (§2.2.3). */
export const MAX_REMAINING_LENGTH = 268435455;
