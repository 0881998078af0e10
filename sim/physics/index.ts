import { Cell, type CellOptions } from "./cell.ts";
import { loadPreset, type PresetOverrides } from "./presets.ts";

export { Cell, type CellConstants, type CellOptions, type CycleListener, type StepListener } from "./cell.ts";
export type { CellState } from "./cell-state.ts";
export type { CycleSummary, GasOnset } from "./cycle-ledger.ts";
export { GroundTruthWriter, readGroundTruth, type GroundTruth, type GroundTruthMeta } from "./ground-truth.ts";
export { groundTruthColumns, type GroundTruthColumn } from "./ground-truth-columns.ts";
export { idealGasAmount_mol, idealGasPressure_Pa } from "./headspace.ts";
export { lateralEffectPosition_m, spotSeparationChange_m } from "./optics.ts";
export { stoneyFactor_N } from "./stress.ts";
export { loadPreset, presetNames, validatePreset, type PresetOverrides } from "./presets.ts";
export type { Preset } from "./preset-schema.ts";
export { F_C_per_mol, R_J_per_molK } from "./constants.ts";

/** A cell built from a named preset in sim/physics/presets/, with some of its values changed. */
export function createCell(presetName: string, overrides?: PresetOverrides, options?: CellOptions): Cell {
  return new Cell(loadPreset(presetName, overrides), options);
}
