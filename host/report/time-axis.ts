/** Hours for runs up to three days, days beyond: the unit a reader expects on the time axis. */
export function timeUnit(span_s: number): { label: string; per_s: number } {
  return span_s > 3 * 86400 ? { label: "Time (d)", per_s: 1 / 86400 } : { label: "Time (h)", per_s: 1 / 3600 };
}
