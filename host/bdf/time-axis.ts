import { describeRows, type BdfProblem } from "./problems.ts";

export interface TimeAxisOptions {
  /** An interval longer than this is reported as a jump; default max(60 s, 10 × median interval). */
  maxInterval_s?: number;
  /** A whole run longer than this is reported as implausible; default three years. */
  maxSpan_s?: number;
  /** The cycler's step column, when present, to say where out-of-order rows sit. */
  stepIndex?: Float64Array;
  /** Name of the time column, for messages. */
  column?: string;
}

const THREE_YEARS_s = 3 * 365.25 * 86400;

/**
 * Checks a time column for what an analysis cannot silently accept: non-finite values, time
 * running backwards, single out-of-order rows, repeated timestamps, jumps and an implausible span.
 * Nothing is changed; each finding names its 1-based data rows so the caller can exclude them.
 */
export function validateTimeAxis(time_s: Float64Array, options: TimeAxisOptions = {}): BdfProblem[] {
  const column = options.column ?? "test_time_second";
  const n = time_s.length;
  const notFinite: number[] = [];
  const backwards: number[] = [];
  const outliers: number[] = [];
  const duplicates: number[] = [];
  const jumps: number[] = [];
  const maxInterval_s = options.maxInterval_s ?? defaultMaxInterval_s(time_s);

  let last = -1;
  let beforeLast = -1;
  for (let i = 0; i < n; i++) {
    const t = time_s[i];
    if (!Number.isFinite(t)) {
      notFinite.push(i + 1);
      continue;
    }
    if (last < 0) {
      last = i;
      continue;
    }
    const dt = t - time_s[last];
    if (dt < 0) {
      if (beforeLast >= 0 && t >= time_s[beforeLast]) {
        // The previous row ran ahead of both neighbours: it is the odd one, not this row.
        outliers.push(last + 1);
        removeJumpAt(jumps, last + 1);
        last = i;
        continue;
      }
      const next = nextFinite(time_s, i + 1);
      if (next >= 0 && time_s[next] >= time_s[last]) {
        outliers.push(i + 1);
        continue;
      }
      backwards.push(i + 1);
    } else if (dt === 0) {
      duplicates.push(i + 1);
    } else if (dt > maxInterval_s) {
      jumps.push(i + 1);
    }
    beforeLast = last;
    last = i;
  }

  const problems: BdfProblem[] = [];
  if (notFinite.length > 0) {
    problems.push({
      kind: "time_not_finite",
      severity: "error",
      column,
      rows: notFinite,
      message: `${column} is missing or not a number at ${describeRows(notFinite)}; these rows have no time and cannot be placed`,
    });
  }
  if (outliers.length > 0) problems.push(outlierProblem(time_s, outliers, column, options.stepIndex));
  if (backwards.length > 0) {
    const first = backwards[0];
    problems.push({
      kind: "time_backwards",
      severity: "error",
      column,
      rows: backwards,
      message:
        `${column} goes backwards and stays there at ${describeRows(backwards)} ` +
        `(first: row ${first} reads ${time_s[first - 1]} s after ${previousFiniteValue(time_s, first - 1)} s); ` +
        `the run may be several files joined, split it at these rows`,
    });
  }
  if (duplicates.length > 0) {
    problems.push({
      kind: "time_duplicate",
      severity: "warning",
      column,
      rows: duplicates,
      message: `${column} repeats the previous row's timestamp at ${describeRows(duplicates)}; zero-length intervals add nothing to integrals but break interpolation`,
    });
  }
  if (jumps.length > 0) {
    problems.push({
      kind: "time_jump",
      severity: "warning",
      column,
      rows: jumps,
      message: `${column} jumps by more than ${maxInterval_s} s before ${describeRows(jumps)}; integrals do not bridge such gaps unless allowed to`,
    });
  }
  const span = finiteSpan(time_s);
  const maxSpan_s = options.maxSpan_s ?? THREE_YEARS_s;
  if (span !== undefined && span.span_s > maxSpan_s) {
    problems.push({
      kind: "time_span",
      severity: "warning",
      column,
      rows: [span.first + 1, span.last + 1],
      message:
        `${column} spans ${span.span_s} s (${(span.span_s / (365.25 * 86400)).toFixed(1)} years) from row ${span.first + 1} to row ${span.last + 1}, ` +
        `longer than the plausible ${maxSpan_s} s; check the column's unit (hours multiplied by 3600 twice look like this)`,
    });
  }
  return problems;
}

function outlierProblem(time_s: Float64Array, rows: number[], column: string, stepIndex?: Float64Array): BdfProblem {
  const first = rows[0];
  const allZero = rows.every((row) => time_s[row - 1] === 0);
  let where = "";
  if (stepIndex !== undefined) {
    const atStepStart = rows.filter((row) => row >= 2 && stepIndex[row - 1] !== stepIndex[row - 2]).length;
    where =
      atStepStart === rows.length
        ? `; every one is the first row of a new step_index, so the step time was written where the test time belongs`
        : `; ${atStepStart} of ${rows.length} are the first row of a new step_index`;
  }
  return {
    kind: "time_outlier",
    severity: "error",
    column,
    rows,
    message:
      `${column} is out of order at ${rows.length} single ${rows.length === 1 ? "row" : "rows"} (${describeRows(rows)})` +
      `${allZero ? ", each reading 0 s" : ""}: e.g. row ${first} reads ${time_s[first - 1]} s between ` +
      `${previousFiniteValue(time_s, first - 1)} s and ${nextFiniteValue(time_s, first)} s, and the rows after it continue ` +
      `from before it${where}. File line = data row + 1. Exclude these rows (or take their time from the neighbours) before integrating`,
  };
}

function removeJumpAt(jumps: number[], row: number): void {
  if (jumps.length > 0 && jumps[jumps.length - 1] === row) jumps.pop();
}

function nextFinite(time_s: Float64Array, from: number): number {
  for (let j = from; j < time_s.length; j++) if (Number.isFinite(time_s[j])) return j;
  return -1;
}

function previousFiniteValue(time_s: Float64Array, before: number): number {
  for (let j = before - 1; j >= 0; j--) if (Number.isFinite(time_s[j])) return time_s[j];
  return Number.NaN;
}

function nextFiniteValue(time_s: Float64Array, from: number): number {
  const j = nextFinite(time_s, from);
  return j < 0 ? Number.NaN : time_s[j];
}

function finiteSpan(time_s: Float64Array): { first: number; last: number; span_s: number } | undefined {
  const first = nextFinite(time_s, 0);
  if (first < 0) return undefined;
  let last = time_s.length - 1;
  while (!Number.isFinite(time_s[last])) last--;
  return { first, last, span_s: time_s[last] - time_s[first] };
}

/** Ten times the median positive interval, and never below a minute. */
function defaultMaxInterval_s(time_s: Float64Array): number {
  const intervals = new Float64Array(time_s.length);
  let count = 0;
  for (let i = 1; i < time_s.length; i++) {
    const dt = time_s[i] - time_s[i - 1];
    if (dt > 0) intervals[count++] = dt;
  }
  if (count === 0) return 60;
  const sorted = intervals.subarray(0, count).sort();
  return Math.max(60, 10 * sorted[count >> 1]);
}
