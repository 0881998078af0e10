/** Photodiode signals → spot positions → curvature, for the two-beam cantilever rig (physics.md). */

/** Lateral-effect position-sensitive detector: x = (ℓ/2)·(B − A)/(A + B), m. */
export function psdPosition_m(a: number, b: number, activeLength_m: number): number {
  return ((activeLength_m / 2) * (b - a)) / (a + b);
}

/** Quadrant photodiode: x ∝ ((A + D) − (B + C))/Σ, y ∝ ((A + B) − (C + D))/Σ, scaled by a calibration factor, m. */
export function quadrantPosition_m(a: number, b: number, c: number, d: number, calibration_m: number): { x_m: number; y_m: number } {
  const sum = a + b + c + d;
  return { x_m: (calibration_m * (a + d - (b + c))) / sum, y_m: (calibration_m * (a + b - (c + d))) / sum };
}

export interface OpticalLimits {
  /** Below this optical sum the position is invalid (bubble, misalignment, failing laser), V. */
  minSum_V: number;
  /** A single electrode at or above this is saturated and outside the detector's linear range, V. */
  saturation_V?: number;
}

export interface SpotSeries {
  position_m: Float64Array;
  sum_V: Float64Array;
  /** 1 where the optical sum is too low (a missing signal is not low: its position is simply NaN). */
  lowSum: Uint8Array;
  /** 1 where an electrode is saturated. */
  saturated: Uint8Array;
}

/** Spot positions from a lateral PSD's two electrode signals, with the validity of each sample; invalid positions are NaN. */
export function psdSpots(a_V: Float64Array, b_V: Float64Array, activeLength_m: number, limits: OpticalLimits): SpotSeries {
  const n = a_V.length;
  const position_m = new Float64Array(n);
  const sum_V = new Float64Array(n);
  const lowSum = new Uint8Array(n);
  const saturated = new Uint8Array(n);
  const saturation_V = limits.saturation_V ?? Infinity;
  for (let i = 0; i < n; i++) {
    const a = a_V[i];
    const b = b_V[i];
    const sum = a + b;
    sum_V[i] = sum;
    if (sum < limits.minSum_V) lowSum[i] = 1;
    if (a >= saturation_V || b >= saturation_V) saturated[i] = 1;
    position_m[i] = lowSum[i] === 0 && saturated[i] === 0 && Number.isFinite(sum) ? psdPosition_m(a, b, activeLength_m) : Number.NaN;
  }
  return { position_m, sum_V, lowSum, saturated };
}

export interface BeamGeometry {
  /** Refractive index of the electrolyte the beams cross. */
  refractiveIndex: number;
  /** Cantilever to detector, m. */
  detectorDistance_m: number;
  /** Distance between the two beams on the cantilever, m. */
  beamSpacing_m: number;
}

/** Δκ = Δs / (2·n·L·d) for a change Δs of the spots' separation, 1/m. */
export function curvatureChange_per_m(separationChange_m: number, geometry: BeamGeometry): number {
  return separationChange_m / (2 * geometry.refractiveIndex * geometry.detectorDistance_m * geometry.beamSpacing_m);
}

/** The change of spot separation a curvature change causes: Δs = 2·n·L·d·Δκ, m. */
export function separationChange_m(curvatureChange: number, geometry: BeamGeometry): number {
  return 2 * geometry.refractiveIndex * geometry.detectorDistance_m * geometry.beamSpacing_m * curvatureChange;
}

/** Curvature relative to the reference separation, per sample, 1/m (NaN where either spot is). */
export function curvatureSeries_per_m(spot1_m: Float64Array, spot2_m: Float64Array, referenceSeparation_m: number, geometry: BeamGeometry): Float64Array {
  const out = new Float64Array(spot1_m.length);
  const scale = 1 / (2 * geometry.refractiveIndex * geometry.detectorDistance_m * geometry.beamSpacing_m);
  for (let i = 0; i < out.length; i++) out[i] = (spot2_m[i] - spot1_m[i] - referenceSeparation_m) * scale;
  return out;
}
