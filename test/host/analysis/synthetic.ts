/** Synthetic runs whose exact answers are known, for the analysis tests. */

export interface Run {
  time_s: Float64Array;
  current_A: Float64Array;
  voltage_V: Float64Array;
}

export interface Segment {
  current_A: number;
  duration_s: number;
}

/**
 * Piecewise-constant current sampled every `step_s`, each segment's samples all at its current
 * (so trapezoidal ∫ I dt of a segment's own samples is exactly I × duration). Voltage is a ramp
 * proportional to the charge passed, so it rises on charge and falls on discharge.
 */
export function piecewiseRun(segments: readonly Segment[], step_s: number, startVoltage_V = 3.5, voltsPerCoulomb = 1e-4): Run {
  const counts = segments.map((s) => Math.round(s.duration_s / step_s) + 1);
  const total = counts.reduce((a, b) => a + b, 0);
  const time_s = new Float64Array(total);
  const current_A = new Float64Array(total);
  const voltage_V = new Float64Array(total);
  let k = 0;
  let t = 0;
  let charge_C = 0;
  segments.forEach((segment, s) => {
    for (let j = 0; j < counts[s]; j++) {
      time_s[k] = t + j * step_s;
      current_A[k] = segment.current_A;
      if (j > 0) charge_C += segment.current_A * step_s;
      voltage_V[k] = startVoltage_V + voltsPerCoulomb * charge_C;
      k++;
    }
    // The next segment starts 1 ms later, so each segment's own samples span exactly its duration.
    t += segment.duration_s + 1e-3;
  });
  return { time_s, current_A, voltage_V };
}
