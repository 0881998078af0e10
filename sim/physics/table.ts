/**
 * A piecewise-linear curve y(x) from tabulated points, extrapolated with the end segments' slopes
 * so a cut-off just beyond the table is still reached. Lookups remember the last segment: the cell
 * state moves a little per step, so a lookup is O(1) without resampling the table.
 */
export class Table {
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  private segment = 0;

  constructor(xs: readonly number[], ys: readonly number[], what: string) {
    if (xs.length < 2 || xs.length !== ys.length) {
      throw new Error(`${what}: needs at least two points and as many y values as x values (got ${xs.length} x, ${ys.length} y)`);
    }
    for (let i = 1; i < xs.length; i++) {
      if (!(xs[i]! > xs[i - 1]!)) throw new Error(`${what}: x values must increase strictly (x[${i}] = ${xs[i]} after ${xs[i - 1]})`);
    }
    this.xs = Float64Array.from(xs);
    this.ys = Float64Array.from(ys);
  }

  at(x: number): number {
    const xs = this.xs;
    const last = xs.length - 2;
    let i = this.segment;
    while (i > 0 && x < xs[i]!) i--;
    while (i < last && x >= xs[i + 1]!) i++;
    this.segment = i;
    const x0 = xs[i]!;
    const y0 = this.ys[i]!;
    return y0 + ((this.ys[i + 1]! - y0) * (x - x0)) / (xs[i + 1]! - x0);
  }
}
