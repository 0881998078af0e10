/** σ of a Gaussian from its full width at half maximum: FWHM = 2·√(2 ln 2)·σ. */
export function sigmaFromFwhm(fwhm: number): number {
  return fwhm / (2 * Math.sqrt(2 * Math.LN2));
}

/**
 * Gaussian smoothing of a uniformly spaced series. The kernel reaches ±4σ and is renormalised
 * where it runs off either end, so edges are not pulled towards zero. NaN samples are skipped
 * in the same way; an output is NaN only where no finite sample lies within the kernel.
 */
export function gaussianSmooth(values: Float64Array, step: number, fwhm: number): Float64Array {
  const sigma_steps = sigmaFromFwhm(fwhm) / step;
  if (!(sigma_steps > 0)) return values.slice();
  const half = Math.ceil(4 * sigma_steps);
  const kernel = new Float64Array(2 * half + 1);
  for (let k = -half; k <= half; k++) kernel[k + half] = Math.exp(-0.5 * (k / sigma_steps) ** 2);
  const n = values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let weight = 0;
    const from = Math.max(0, i - half);
    const to = Math.min(n - 1, i + half);
    for (let j = from; j <= to; j++) {
      const v = values[j];
      if (Number.isNaN(v)) continue;
      const w = kernel[j - i + half];
      sum += w * v;
      weight += w;
    }
    out[i] = weight > 0 ? sum / weight : Number.NaN;
  }
  return out;
}
