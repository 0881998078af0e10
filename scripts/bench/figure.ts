/** One measured figure. `baseline` is a figure of the same unit measured in the same run for comparison. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  /** value / baseline. */
  ratio?: number;
  /** What was measured, for the human-readable table. */
  note?: string;
}

export function compared(name: string, value: number, baseline: number, unit: string, note?: string): Figure {
  return { name, value, unit, baseline, ratio: value / baseline, note };
}

export interface Benchmark {
  /** Prefix of the figures it produces, e.g. "firmware". */
  name: string;
  run(progress: (line: string) => void): Promise<Figure[]>;
}
