export interface Hinge {
  /** Time of the knot, s. */
  knot_s: number;
  /** Index of the knot's sample. */
  knot: number;
  /** Slopes before and after the knot, [y]/s. */
  slopeBefore: number;
  slopeAfter: number;
}

/**
 * Least-squares fit of y = a + b·t + c·max(0, t − τ) over the usable samples from `start` to `end`,
 * with the knot τ tried at every usable sample from `firstKnot` to `lastKnot` (those whose slopes
 * `accept` allows): where a rate changes
 * abruptly (a gas-making reaction switching on). Window sums are kept as suffix sums, so the search
 * costs O(n); time and value are taken relative to the window's middle and scaled, so long runs and
 * tiny signals on a large offset lose no precision. Undefined with fewer than four usable samples.
 */
export function fitHinge(
  time_s: Float64Array,
  y: Float64Array,
  range: { start: number; end: number; firstKnot: number; lastKnot: number; exclude?: Uint8Array },
  /** Only knots whose slopes this accepts are considered, [y]/s. */
  accept: (slopeBefore: number, slopeAfter: number) => boolean = () => true,
): Hinge | undefined {
  const index: number[] = [];
  for (let i = range.start; i <= range.end; i++) {
    if ((range.exclude === undefined || range.exclude[i] === 0) && Number.isFinite(y[i]) && Number.isFinite(time_s[i])) index.push(i);
  }
  const m = index.length;
  if (m < 4) return undefined;
  const t0 = time_s[index[m >> 1]];
  const y0 = y[index[m >> 1]];
  const tScale = Math.max(1e-12, time_s[index[m - 1]] - time_s[index[0]]);
  let yScale = 0;
  for (const i of index) yScale = Math.max(yScale, Math.abs(y[i] - y0));
  if (!(yScale > 0)) yScale = 1;
  const t = Float64Array.from(index, (i) => (time_s[i] - t0) / tScale);
  const v = Float64Array.from(index, (i) => (y[i] - y0) / yScale);
  let n = 0, st = 0, stt = 0, sy = 0, sty = 0, syy = 0;
  for (let j = 0; j < m; j++) {
    n++;
    st += t[j];
    stt += t[j] * t[j];
    sy += v[j];
    sty += t[j] * v[j];
    syy += v[j] * v[j];
  }
  // Suffix sums over the samples after the knot.
  let r0 = 0, rt = 0, rtt = 0, ry = 0, rty = 0;
  let best: { rss: number; j: number; b: number; c: number } | undefined;
  for (let j = m - 1; j >= 0; j--) {
    const i = index[j];
    if (i >= range.firstKnot && i <= range.lastKnot) {
      const tau = t[j];
      const su = rt - tau * r0;
      const suu = rtt - 2 * tau * rt + tau * tau * r0;
      const stu = rtt - tau * rt;
      const suy = rty - tau * ry;
      const solved = solve3([n, st, su, st, stt, stu, su, stu, suu], [sy, sty, suy]);
      if (solved !== undefined) {
        const [a, b, c] = solved;
        const rss = syy - (a * sy + b * sty + c * suy);
        if ((best === undefined || rss < best.rss) && accept((b * yScale) / tScale, ((b + c) * yScale) / tScale)) best = { rss, j, b, c };
      }
    }
    r0++;
    rt += t[j];
    rtt += t[j] * t[j];
    ry += v[j];
    rty += t[j] * v[j];
  }
  if (best === undefined) return undefined;
  const perSecond = yScale / tScale;
  return { knot_s: time_s[index[best.j]], knot: index[best.j], slopeBefore: best.b * perSecond, slopeAfter: (best.b + best.c) * perSecond };
}

/** Solves a 3×3 system (row-major) by Cramer's rule; undefined when it is singular. */
function solve3(a: number[], b: number[]): [number, number, number] | undefined {
  const det = (m: number[]): number => m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  const d = det(a);
  if (!(Math.abs(d) > 1e-300)) return undefined;
  const column = (k: number): number[] => a.map((value, idx) => (idx % 3 === k ? b[Math.floor(idx / 3)] : value));
  return [det(column(0)) / d, det(column(1)) / d, det(column(2)) / d];
}
