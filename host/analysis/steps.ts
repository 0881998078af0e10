/** Steps, half-cycles and cycles of a run, found from the current or from cycler step columns. */

export type Direction = "charge" | "discharge";
export type StepKind = Direction | "rest";

/** Sample index ranges are inclusive at both ends and begin and end on usable samples. */
export interface Step {
  kind: StepKind;
  start: number;
  end: number;
  startTime_s: number;
  endTime_s: number;
  /** The cycler's step number, when steps came from a `step_index` column. */
  cyclerStep?: number;
}

/** Consecutive steps of one current direction; rests inside it belong to it, rests around it do not. */
export interface HalfCycle {
  direction: Direction;
  start: number;
  end: number;
  startTime_s: number;
  endTime_s: number;
  /** Steps (active and rest) it spans. */
  steps: number;
}

/**
 * Cycle k: the half-cycle that stores charge in the electrode under test ("in") and the next one
 * that releases it ("out"). A run that starts with an "out" half-cycle has a first cycle without "in".
 */
export interface Cycle {
  number: number;
  in?: HalfCycle;
  out?: HalfCycle;
  /** The cycler's `cycle_count` at the cycle's first sample, when that column exists. */
  cyclerCycle?: number;
}

export interface SegmentOptions {
  /** |I| below this is rest, A. */
  restThreshold_A: number;
  /** Shorter stretches of one kind are merged into their neighbours, s. */
  minDuration_s: number;
  /** Which current direction stores charge in the electrode under test: "charge" for a full cell, "discharge" for e.g. sodiation of a hard-carbon half cell. */
  storing: Direction;
  /** Nonzero samples are ignored (they take the kind of the sample before). */
  exclude?: Uint8Array;
  /** Cycler step numbers; when given, steps follow them instead of the current's sign changes. */
  stepIndex?: ArrayLike<number>;
  /** Cycler cycle numbers, reported beside the detected cycles. */
  cycleCount?: ArrayLike<number>;
}

export interface Segmentation {
  steps: Step[];
  halfCycles: HalfCycle[];
  cycles: Cycle[];
  /** "current" when found from the current's sign, "step_index" when from the cycler's column. */
  source: "current" | "step_index";
}

export function segmentRun(time_s: Float64Array, current_A: Float64Array, options: SegmentOptions): Segmentation {
  if (time_s.length !== current_A.length) {
    throw new Error(`time (${time_s.length} samples) and current (${current_A.length} samples) differ in length; align them first`);
  }
  const steps =
    options.stepIndex !== undefined
      ? stepsFromColumn(time_s, current_A, options.stepIndex, options)
      : stepsFromCurrent(time_s, current_A, options);
  const halfCycles = groupHalfCycles(steps);
  const cycles = pairCycles(halfCycles, options.storing);
  if (options.cycleCount !== undefined) {
    for (const cycle of cycles) {
      const first = (cycle.in ?? cycle.out) as HalfCycle;
      cycle.cyclerCycle = options.cycleCount[first.start];
    }
  }
  return { steps, halfCycles, cycles, source: options.stepIndex !== undefined ? "step_index" : "current" };
}

/** Steps from the sign and size of the current, short stretches merged into their neighbours. */
export function stepsFromCurrent(
  time_s: Float64Array,
  current_A: Float64Array,
  options: Pick<SegmentOptions, "restThreshold_A" | "minDuration_s" | "exclude">,
): Step[] {
  const n = time_s.length;
  const runs: Step[] = [];
  let kind: StepKind | undefined;
  let start = 0;
  let lastValid = -1;
  for (let i = 0; i < n; i++) {
    const I = current_A[i];
    if ((options.exclude !== undefined && options.exclude[i] !== 0) || !Number.isFinite(I) || !Number.isFinite(time_s[i])) continue;
    const here: StepKind = Math.abs(I) < options.restThreshold_A ? "rest" : I > 0 ? "charge" : "discharge";
    if (kind === undefined) {
      kind = here;
      start = i;
    } else if (here !== kind) {
      runs.push(makeStep(time_s, kind, start, lastValid));
      kind = here;
      start = i;
    }
    lastValid = i;
  }
  if (kind === undefined) return [];
  runs.push(makeStep(time_s, kind, start, lastValid));
  return mergeShort(time_s, runs, options.minDuration_s);
}

/** Steps from the cycler's step column; each step's kind from its mean current. */
export function stepsFromColumn(
  time_s: Float64Array,
  current_A: Float64Array,
  stepIndex: ArrayLike<number>,
  options: Pick<SegmentOptions, "restThreshold_A" | "exclude">,
): Step[] {
  const n = time_s.length;
  const steps: Step[] = [];
  let start = -1;
  let number = Number.NaN;
  let sum = 0;
  let count = 0;
  const close = (end: number): void => {
    const mean = count > 0 ? sum / count : 0;
    const kind: StepKind = Math.abs(mean) < options.restThreshold_A ? "rest" : mean > 0 ? "charge" : "discharge";
    const step = makeStep(time_s, kind, start, end);
    step.cyclerStep = number;
    steps.push(step);
  };
  let lastValid = -1;
  for (let i = 0; i < n; i++) {
    if ((options.exclude !== undefined && options.exclude[i] !== 0) || !Number.isFinite(stepIndex[i]) || !Number.isFinite(time_s[i])) continue;
    if (start < 0 || stepIndex[i] !== number) {
      if (start >= 0) close(lastValid);
      start = i;
      number = stepIndex[i];
      sum = 0;
      count = 0;
    }
    if (Number.isFinite(current_A[i])) {
      sum += current_A[i];
      count++;
    }
    lastValid = i;
  }
  if (start >= 0) close(lastValid);
  return steps;
}

export function groupHalfCycles(steps: readonly Step[]): HalfCycle[] {
  const halves: HalfCycle[] = [];
  let open: HalfCycle | undefined;
  let stepsSinceEnd = 0;
  for (const step of steps) {
    if (step.kind === "rest") {
      if (open !== undefined) stepsSinceEnd++;
      continue;
    }
    if (open !== undefined && open.direction === step.kind) {
      open.end = step.end;
      open.endTime_s = step.endTime_s;
      open.steps += stepsSinceEnd + 1;
    } else {
      open = { direction: step.kind, start: step.start, end: step.end, startTime_s: step.startTime_s, endTime_s: step.endTime_s, steps: 1 };
      halves.push(open);
    }
    stepsSinceEnd = 0;
  }
  return halves;
}

export function pairCycles(halves: readonly HalfCycle[], storing: Direction): Cycle[] {
  const cycles: Cycle[] = [];
  let current: Cycle | undefined;
  for (const half of halves) {
    if (half.direction === storing) {
      current = { number: cycles.length + 1, in: half };
      cycles.push(current);
    } else if (current !== undefined && current.out === undefined) {
      current.out = half;
    } else {
      current = { number: cycles.length + 1, out: half };
      cycles.push(current);
    }
  }
  return cycles;
}

function makeStep(time_s: Float64Array, kind: StepKind, start: number, end: number): Step {
  return { kind, start, end, startTime_s: time_s[start], endTime_s: time_s[end] };
}

/** A stretch shorter than the minimum joins the one before it (the first joins the one after). */
function mergeShort(time_s: Float64Array, runs: Step[], minDuration_s: number): Step[] {
  const merged: Step[] = [];
  for (let k = 0; k < runs.length; k++) {
    const run = runs[k];
    const next = runs[k + 1];
    const duration_s = (next !== undefined ? next.startTime_s : run.endTime_s) - run.startTime_s;
    const top = merged[merged.length - 1];
    if (top !== undefined && (duration_s < minDuration_s || top.kind === run.kind)) {
      top.end = run.end;
      top.endTime_s = time_s[run.end];
    } else {
      merged.push({ ...run });
    }
  }
  if (merged.length > 1) {
    const first = merged[0];
    const second = merged[1];
    if (second.startTime_s - first.startTime_s < minDuration_s) {
      second.start = first.start;
      second.startTime_s = first.startTime_s;
      merged.shift();
    }
  }
  return merged;
}
