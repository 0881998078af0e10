import type { Cycle } from "../analysis/steps.ts";

/** At most `count` cycles spread over the run, first and last always among them, so a figure stays legible. */
export function selectCycles<T extends Pick<Cycle, "number">>(cycles: readonly T[], count = 6): T[] {
  if (cycles.length <= count) return [...cycles];
  const picked = new Set<number>();
  for (let k = 0; k < count; k++) picked.add(Math.round((k * (cycles.length - 1)) / (count - 1)));
  return [...picked].sort((a, b) => a - b).map((k) => cycles[k]);
}
