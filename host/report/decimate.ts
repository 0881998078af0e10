/**
 * Reduces a long series to what a plot can show: within each pixel column the first, lowest,
 * highest and last points are kept, so peaks and noise bands look as they would undecimated while
 * a 4-week run at 1 Hz draws a few thousand points. Non-finite values break the line (NaN kept).
 */
export function decimateMinMax(x: ArrayLike<number>, y: ArrayLike<number>, x0: number, x1: number, columns: number): { x: number[]; y: number[] } {
  const outX: number[] = [];
  const outY: number[] = [];
  const width = (x1 - x0) / Math.max(1, columns);
  let column = Number.NaN;
  let first = -1;
  let last = -1;
  let lo = -1;
  let hi = -1;
  const flush = (): void => {
    if (first < 0) return;
    const picks = [first, lo, hi, last].filter((v, k, all) => all.indexOf(v) === k).sort((a, b) => a - b);
    for (const i of picks) {
      outX.push(x[i]);
      outY.push(y[i]);
    }
    first = -1;
  };
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const yi = y[i];
    if (!Number.isFinite(xi) || !Number.isFinite(yi)) {
      flush();
      if (outY.length > 0 && !Number.isNaN(outY[outY.length - 1])) {
        outX.push(Number.NaN);
        outY.push(Number.NaN);
      }
      column = Number.NaN;
      continue;
    }
    const c = width > 0 ? Math.floor((xi - x0) / width) : 0;
    if (c !== column) {
      flush();
      column = c;
      first = lo = hi = i;
    }
    if (yi < y[lo]) lo = i;
    if (yi > y[hi]) hi = i;
    last = i;
  }
  flush();
  return { x: outX, y: outY };
}
