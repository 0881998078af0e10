// Topic namespace of protocol v1 (docs/PROTOCOL.md "Topics"). Espruino-safe: the firmware imports it.

export const TOPIC_PREFIX = "cellrig/v1";

export type MessageKind = "birth" | "death" | "data" | "alarm" | "gap" | "health" | "cmd" | "ack";

/** Message kinds with the QoS and retain flag each is published with. */
export const KINDS: { [K in MessageKind]: { qos: 0 | 1; retain: boolean } } = {
  birth: { qos: 1, retain: true },
  death: { qos: 1, retain: true },
  data: { qos: 1, retain: false },
  alarm: { qos: 1, retain: false },
  gap: { qos: 1, retain: false },
  health: { qos: 0, retain: false },
  cmd: { qos: 1, retain: false },
  ack: { qos: 1, retain: false },
};

/** Rig, board and channel ids: they appear as MQTT topic levels, so no `/`, `+` or `#`. */
export const ID_PATTERN = "^[A-Za-z0-9_-]{1,32}$";

export function topic(rig: string, board: string, kind: MessageKind): string {
  return TOPIC_PREFIX + "/" + rig + "/" + board + "/" + kind;
}
