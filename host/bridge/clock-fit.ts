import type { ClockFit } from "./api-types.ts";

export interface ClockFitOptions {
  /** Points kept for the fit; the oldest goes first. */
  maxPoints?: number;
  /** Points closer than this in host time are skipped: the window should span minutes, not frames. */
  minSpacing_ms?: number;
  /** A point further than this from the fit is an outlier. */
  jumpThreshold_us?: number;
  /** Consecutive outliers on the same side that make a jump rather than a late delivery. */
  jumpPoints?: number;
}

const MIN_SLOPE_SPAN_us = 60_000_000;

interface Point {
  host_us: number;
  board_us: number;
}

/**
 * Fits board time against host receive time for one boot of one board: board_us ≈ a + b·host_us
 * by least squares over a sliding window (default 300 points at least 1 s apart, so about five
 * minutes and up). The offset is taken at the newest point; drift is (b − 1)·10⁶ ppm.
 *
 * A message delivered late (queued by the broker, retried over a bad link) sits below the line
 * once and is ignored as an outlier. A clock step (NTP correction, RTC set, a board reset of its
 * time) moves every later point: `jumpPoints` consecutive outliers on the same side, each beyond
 * `jumpThreshold_us` (default 1 s, far above LAN jitter and the length of a frame), count as a
 * jump; the window then restarts from those points and `jumped` stays set for the boot.
 */
export class ClockFitter {
  private readonly maxPoints: number;
  private readonly minSpacing_us: number;
  private readonly threshold_us: number;
  private readonly jumpPoints: number;
  private points: Point[] = [];
  private outliers: Point[] = [];
  private fit: { a: number; b: number; x0: number; y0: number; rms_us: number } | undefined;
  private jump: { at_ms: number; size_us: number } | undefined;

  constructor(options: ClockFitOptions = {}) {
    this.maxPoints = options.maxPoints ?? 300;
    this.minSpacing_us = (options.minSpacing_ms ?? 1000) * 1000;
    this.threshold_us = options.jumpThreshold_us ?? 1_000_000;
    this.jumpPoints = options.jumpPoints ?? 3;
  }

  /** Adds one (board time, host receive time) pair; returns true when it completed a jump. */
  add(board_us: number, host_ms: number): boolean {
    const point = { host_us: host_ms * 1000, board_us };
    const residual = this.residual(point);
    if (residual !== undefined && Math.abs(residual) > this.threshold_us) {
      const previous = this.outliers[this.outliers.length - 1];
      if (previous !== undefined && Math.sign(this.residual(previous)!) !== Math.sign(residual)) this.outliers = [];
      this.outliers.push(point);
      if (this.outliers.length < this.jumpPoints) return false;
      this.jump = { at_ms: host_ms, size_us: residual };
      this.points = this.outliers;
      this.outliers = [];
      this.refit();
      return true;
    }
    this.outliers = [];
    const last = this.points[this.points.length - 1];
    if (last !== undefined && point.host_us - last.host_us < this.minSpacing_us) return false;
    this.points.push(point);
    if (this.points.length > this.maxPoints) this.points.shift();
    this.refit();
    return false;
  }

  state(source: ClockFit["source"]): ClockFit | undefined {
    const fit = this.fit;
    const newest = this.points[this.points.length - 1];
    if (fit === undefined || newest === undefined) return undefined;
    const state: ClockFit = {
      offset_us: Math.round(this.predict(newest.host_us)! - newest.host_us),
      drift_ppm: (fit.b - 1) * 1e6,
      rms_us: Math.round(fit.rms_us),
      points: this.points.length,
      jumped: this.jump !== undefined,
      source,
    };
    if (this.jump !== undefined) {
      state.lastJump_ms = this.jump.at_ms;
      state.lastJumpSize_us = Math.round(this.jump.size_us);
    }
    return state;
  }

  private predict(host_us: number): number | undefined {
    const fit = this.fit;
    return fit === undefined ? undefined : fit.y0 + fit.a + fit.b * (host_us - fit.x0);
  }

  private residual(point: Point): number | undefined {
    const predicted = this.predict(point.host_us);
    return predicted === undefined ? undefined : point.board_us - predicted;
  }

  /** Least squares on values relative to the first point, so µs since 1970 keep their precision. */
  private refit(): void {
    const first = this.points[0];
    if (first === undefined) return;
    const x0 = first.host_us;
    const y0 = first.board_us;
    const n = this.points.length;
    let sx = 0;
    let sy = 0;
    for (const p of this.points) {
      sx += p.host_us - x0;
      sy += p.board_us - y0;
    }
    const mx = sx / n;
    const my = sy / n;
    let sxx = 0;
    let sxy = 0;
    for (const p of this.points) {
      const dx = p.host_us - x0 - mx;
      sxx += dx * dx;
      sxy += dx * (p.board_us - y0 - my);
    }
    // Over a short span the jitter of arrival times swamps any drift: assume equal rates until
    // the window spans a minute, or a slope from two points a second apart mispredicts by seconds.
    const span_us = this.points[n - 1]!.host_us - x0;
    const b = sxx > 0 && span_us >= MIN_SLOPE_SPAN_us ? sxy / sxx : 1;
    const a = my - b * mx;
    let ss = 0;
    for (const p of this.points) {
      const r = p.board_us - y0 - (a + b * (p.host_us - x0));
      ss += r * r;
    }
    this.fit = { a, b, x0, y0, rms_us: Math.sqrt(ss / n) };
  }
}
