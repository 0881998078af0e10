import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GroundTruthWriter, createCell, readGroundTruth, type Cell, type CellOptions, type GroundTruth, type PresetOverrides } from "../../../sim/physics/index.ts";

/** Runs a preset for `duration_s` (or until its protocol finishes, whichever is first), recording ground truth, and reads it back. */
export function runWithGroundTruth(
  preset: string,
  overrides: PresetOverrides,
  duration_s: number,
  options?: CellOptions,
): { cell: Cell; truth: GroundTruth } {
  const dir = mkdtempSync(join(tmpdir(), "cellrig-physics-"));
  try {
    const cell = createCell(preset, overrides, options);
    const writer = new GroundTruthWriter(cell, join(dir, "truth"));
    const chunk_s = 3600;
    for (let t = chunk_s; t < duration_s + chunk_s && !cell.finished; t += chunk_s) cell.advanceTo(Math.min(t, duration_s));
    // A little open-circuit time after the last cycle closes its summary.
    if (cell.finished) cell.advanceTo(cell.state.test_time_s + 10 * cell.constants.step_s);
    writer.close();
    return { cell, truth: readGroundTruth(join(dir, "truth")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** ∫I dt by the trapezoid rule over recorded rows, A·s. */
export function trapezoidCharge_As(truth: GroundTruth, from = 0, to = truth.rows - 1): number {
  const t = truth.columns.test_time_second!;
  const i = truth.columns.current_ampere!;
  let q = 0;
  for (let r = from + 1; r <= to; r++) q += 0.5 * (i[r - 1]! + i[r]!) * (t[r]! - t[r - 1]!);
  return q;
}

export function column(truth: GroundTruth, name: string): Float64Array {
  const c = truth.columns[name];
  if (!c) throw new Error(`ground truth has no column "${name}" (has ${Object.keys(truth.columns).join(", ")})`);
  return c;
}

export function maxOf(values: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! > m) m = values[i]!;
  return m;
}

export function minOf(values: ArrayLike<number>): number {
  let m = Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! < m) m = values[i]!;
  return m;
}
