/** "Nice" axis ticks: steps of 1, 2 or 5 × 10ⁿ, about `target` of them, covering [min, max]. */
export function niceTicks(min: number, max: number, target = 6): { ticks: number[]; step: number; min: number; max: number } {
  if (!(max > min)) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.05;
    return niceTicks(min - pad, min + pad, target);
  }
  const raw = (max - min) / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.floor(min / step + 1e-9) * step;
  const last = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = 0; first + k * step <= last + step * 1e-9; k++) ticks.push(round(first + k * step, step));
  return { ticks, step, min: first, max: last };
}

/** A tick label with as many decimals as the step needs, and a true minus sign. */
export function formatTick(value: number, step: number): string {
  const magnitude = Math.max(Math.abs(value), step);
  if (magnitude >= 1e5 || magnitude < 1e-3) return value === 0 ? "0" : value.toExponential(Math.max(0, -Math.floor(Math.log10(step)) + Math.floor(Math.log10(magnitude)))).replace("-", "−");
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value.toFixed(decimals).replace("-", "−");
}

function round(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(Math.min(20, decimals)));
}
