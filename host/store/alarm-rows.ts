import type { AlarmRecord } from "../bridge/api-types.ts";
import { alarmKey } from "./store.ts";

/** An alarm row as both engines return it (same column names), to the record the API serves. */
export function toAlarmRecord(row: Record<string, unknown>): AlarmRecord {
  const record: AlarmRecord = {
    rig: String(row.rig),
    board: String(row.board),
    boot: Number(row.boot),
    n: Number(row.n),
    key: alarmKey(String(row.channel), String(row.rule)),
    channel: String(row.channel),
    rule: String(row.rule),
    state: row.state === "raised" ? "raised" : "cleared",
    t_us: Number(row.t_us),
    value: Number(row.value),
    threshold: Number(row.threshold),
    received_ms: Number(row.received_ms),
  };
  if (row.acknowledged_by !== null) record.acknowledged_by = String(row.acknowledged_by);
  if (row.acknowledged_ms !== null) record.acknowledged_ms = Number(row.acknowledged_ms);
  return record;
}
