// Encoder of the `alarm` message (docs/PROTOCOL.md "alarm"): sent when a rule is raised and again
// when it clears, at once. Keys are written in core deterministic order (RFC 8949 §4.2.1) by hand, so
// raising an alarm allocates nothing.
import type { CborWriter } from "./cbor-writer.ts";
import { writeNumber } from "./cbor-value.ts";
import { PROTOCOL_VERSION } from "./data-frame.ts";

export interface AlarmMessage {
  boot: number;
  /** Alarm messages (raised or cleared) sent in this boot before this one: with the boot id, what makes a redelivery recognisable. */
  n: number;
  /** Whether the rule was raised or has cleared. */
  state: AlarmState;
  channel: string;
  /** Name of the rule in the rig configuration, e.g. "p1_high". */
  rule: string;
  /** The value that raised (or cleared) the rule and the rule's threshold, in the channel's unit (birth `unit`). */
  value: number;
  threshold: number;
  /** Board time of the sample that raised or cleared the rule, µs since the Unix epoch. */
  t_us: number;
}

export type AlarmState = "raised" | "cleared";
export const ALARM_STATES: AlarmState[] = ["raised", "cleared"];

export function writeAlarm(w: CborWriter, a: AlarmMessage): void {
  w.mapHead(9);
  w.text("b");
  w.uint(a.boot);
  w.text("n");
  w.uint(a.n);
  w.text("t");
  w.uint(a.t_us);
  w.text("v");
  w.uint(PROTOCOL_VERSION);
  w.text("rule");
  w.text(a.rule);
  w.text("state");
  w.text(a.state);
  w.text("value");
  writeNumber(w, a.value);
  w.text("channel");
  w.text(a.channel);
  w.text("threshold");
  writeNumber(w, a.threshold);
}
