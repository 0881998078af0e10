// Encoder of the `alarm` message (docs/PROTOCOL.md "alarm"): raised on the board when a rule trips
// and published at once. Keys are written in core deterministic order (RFC 8949 §4.2.1) by hand, so
// raising an alarm allocates nothing.
import type { CborWriter } from "./cbor-writer.ts";
import { writeNumber } from "./cbor-value.ts";
import { PROTOCOL_VERSION } from "./data-frame.ts";

export interface AlarmMessage {
  boot: number;
  /** Alarms raised in this boot before this one: with the boot id, what makes a redelivery recognisable. */
  n: number;
  channel: string;
  /** Name of the rule in the rig configuration, e.g. "p1_high". */
  rule: string;
  /** The value that tripped the rule and the rule's threshold, in the channel's unit (birth `unit`). */
  value: number;
  threshold: number;
  /** Board time of the sample that tripped the rule, µs since the Unix epoch. */
  t_us: number;
}

export function writeAlarm(w: CborWriter, a: AlarmMessage): void {
  w.mapHead(8);
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
  w.text("value");
  writeNumber(w, a.value);
  w.text("channel");
  w.text(a.channel);
  w.text("threshold");
  writeNumber(w, a.threshold);
}
