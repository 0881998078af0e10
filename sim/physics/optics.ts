import type { OpticsParams } from "./preset-schema.ts";
import type { CellState } from "./cell-state.ts";

/**
 * Change of the separation of two spots when the cantilever's curvature changes by Δκ, beams a
 * distance d apart on it, detector at L, through electrolyte of index n: Δs = 2·n·L·d·Δκ.
 */
export function spotSeparationChange_m(curvatureChange_per_m: number, refractiveIndex: number, detectorDistance_m: number, beamSpacing_m: number): number {
  return 2 * refractiveIndex * detectorDistance_m * beamSpacing_m * curvatureChange_per_m;
}

/** Spot position on a lateral-effect detector of active length ℓ: x = (ℓ/2)·(B − A)/(A + B). */
export function lateralEffectPosition_m(a_A: number, b_A: number, activeLength_m: number): number {
  return (0.5 * activeLength_m * (b_A - a_A)) / (a_A + b_A);
}

/**
 * Two beams reflected off the cantilever onto two detectors. A beam hitting at distance a from the
 * clamp turns by 2κa (plus twice any tilt of the mount, common to both beams) and leaves through
 * the electrolyte n times steeper, so its spot moves 2·n·L·(κ·a + tilt); the separation of the
 * spots sees only curvature. Each detector gives lateral-effect electrode currents and quadrant
 * segment currents whose sum is laser power × responsivity × transmission, reduced during
 * signal losses (bubbles, misalignment).
 */
export class OpticalLever {
  readonly beamSpacing_m: number;
  private readonly lever_m: number;
  private readonly beamDistance_m: Float64Array;
  private readonly offset_m: Float64Array;
  private readonly vertical_m: Float64Array;
  private readonly centreSeparation_m: number;
  private readonly halfLength_m: number;
  private readonly quadrantCalibration_m: number;
  private readonly fullSum_A: number;
  private readonly tilt_rad_per_s: number;
  private readonly losses: OpticsParams["Signal losses"];

  constructor(p: OpticsParams) {
    this.lever_m = 2 * p["Electrolyte refractive index [1]"] * p["Detector distance [m]"];
    this.beamDistance_m = Float64Array.of(p["First beam distance from clamp [m]"], p["Second beam distance from clamp [m]"]);
    this.beamSpacing_m = this.beamDistance_m[1]! - this.beamDistance_m[0]!;
    this.offset_m = Float64Array.from(p["Spot offsets at zero curvature [m]"]);
    this.vertical_m = Float64Array.from(p["Spot vertical offsets [m]"]);
    this.centreSeparation_m = p["Detector centre separation [m]"];
    this.halfLength_m = 0.5 * p["Detector active length [m]"];
    this.quadrantCalibration_m = p["Quadrant calibration [m]"];
    this.fullSum_A = p["Laser power [W]"] * p["Photodiode responsivity [A/W]"] * p["Optical transmission [1]"];
    this.tilt_rad_per_s = p["Mount tilt drift [rad/s]"];
    this.losses = p["Signal losses"];
  }

  /** Separation of the spots at zero curvature and no tilt. */
  get referenceSeparation_m(): number {
    return this.centreSeparation_m + this.offset_m[1]! - this.offset_m[0]!;
  }

  update(s: CellState): void {
    const tilt_rad = this.tilt_rad_per_s * s.test_time_s;
    const x = s.spot_positions_m;
    x[0] = this.offset_m[0]! + this.lever_m * (s.curvature_per_m * this.beamDistance_m[0]! + tilt_rad);
    x[1] = this.offset_m[1]! + this.lever_m * (s.curvature_per_m * this.beamDistance_m[1]! + tilt_rad);
    s.spot_separation_m = this.centreSeparation_m + x[1]! - x[0]!;
    s.optics_saturated = false;
    for (let beam = 0; beam < 2; beam++) {
      const sum_A = this.fullSum_A * this.transmission(beam, s.test_time_s);
      s.psd_sums_A[beam] = sum_A;
      this.lateralEffect(s, beam, sum_A);
      this.quadrant(s, beam, sum_A);
    }
  }

  private transmission(beam: number, time_s: number): number {
    let t = 1;
    for (const loss of this.losses) {
      const hits = loss.Beams === "both" || (loss.Beams === "first") === (beam === 0);
      if (hits && time_s >= loss["Start [s]"] && time_s < loss["Start [s]"] + loss["Duration [s]"]) t *= loss["Transmission [1]"];
    }
    return t;
  }

  private lateralEffect(s: CellState, beam: number, sum_A: number): void {
    let u = s.spot_positions_m[beam]! / this.halfLength_m;
    if (u > 1 || u < -1) {
      u = u > 1 ? 1 : -1;
      s.optics_saturated = true;
    }
    s.psd_currents_A[2 * beam] = 0.5 * sum_A * (1 - u);
    s.psd_currents_A[2 * beam + 1] = 0.5 * sum_A * (1 + u);
  }

  /** x ∝ ((A + D) − (B + C))/Σ and y ∝ ((A + B) − (C + D))/Σ, linear while |x| + |y| ≤ one calibration length. */
  private quadrant(s: CellState, beam: number, sum_A: number): void {
    let xn = s.spot_positions_m[beam]! / this.quadrantCalibration_m;
    let yn = this.vertical_m[beam]! / this.quadrantCalibration_m;
    const reach = Math.abs(xn) + Math.abs(yn);
    if (reach > 1) {
      xn /= reach;
      yn /= reach;
      s.optics_saturated = true;
    }
    const q = 0.25 * sum_A;
    const o = 4 * beam;
    s.quadrant_currents_A[o] = q * (1 + xn + yn);
    s.quadrant_currents_A[o + 1] = q * (1 - xn + yn);
    s.quadrant_currents_A[o + 2] = q * (1 - xn - yn);
    s.quadrant_currents_A[o + 3] = q * (1 + xn - yn);
  }
}
