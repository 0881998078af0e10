import { createCell, presetNames } from "../../sim/physics/index.ts";
import type { Benchmark, Figure } from "./figure.ts";

/** Simulated time per preset: long enough to cross several protocol steps at the preset's own step. */
const SIMULATED_s = 2 * 86400;

/**
 * Cell-physics steps per wall-clock second for each preset at its own time step (no ground-truth
 * writing), figure `physics.steps_per_s.<preset>`. The simulator's target of 10,000 simulated
 * seconds per wall second for one board needs 400,000 steps/s for the 40 Hz stress rig.
 */
export const physicsBenchmark: Benchmark = {
  name: "physics",
  async run(progress) {
    const figures: Figure[] = [];
    for (const name of presetNames()) {
      const cell = createCell(name);
      const steps = Math.round(SIMULATED_s / cell.constants.step_s);
      cell.advanceTo(3600);
      const started_ms = performance.now();
      cell.advanceTo(3600 + SIMULATED_s);
      const wall_s = (performance.now() - started_ms) / 1000;
      const stepsPerSecond = steps / wall_s;
      const speedup = SIMULATED_s / wall_s;
      progress(`physics ${name}: ${steps} steps of ${cell.constants.step_s} s in ${wall_s.toFixed(2)} s`);
      figures.push({
        name: `physics.steps_per_s.${name}`,
        value: stepsPerSecond,
        unit: "steps/s",
        note: `${name} at ${cell.constants.step_s} s steps: ${speedup.toFixed(0)} simulated s per wall s`,
      });
    }
    return figures;
  },
};
