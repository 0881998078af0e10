import type { Birth, BirthChannel } from "../../protocol/schema/birth.ts";
import type { StoredBirth } from "./store.ts";

/**
 * A `births` row as both engines return it (same column names): DuckDB gives the JSON columns as
 * text, PostgreSQL as parsed values, so the caller says how to read them.
 */
export function toStoredBirth(row: Record<string, unknown>, json: (column: unknown) => unknown): StoredBirth {
  return {
    rig: String(row.rig),
    birth: {
      board: String(row.board),
      boot: Number(row.boot),
      channels: json(row.channels) as BirthChannel[],
      clock: json(row.clock) as Birth["clock"],
      fw: json(row.fw) as Birth["fw"],
      profile: String(row.profile),
      rig: String(row.rig),
      seq: Number(row.seq),
      t: Number(row.t_us),
      tick_us: Number(row.tick_us),
      v: 1,
    },
  };
}
