/** How much data a result rests on. Every analysis result carries one. */
export interface Basis {
  /** Samples that entered the result. */
  samplesUsed: number;
  /** Samples in the range that were left out (flagged, not finite, out of order). */
  samplesExcluded: number;
  /** Time the result covers with data, s. */
  timeCovered_s: number;
  /** Time in the range without usable data (gaps not bridged, excluded stretches), s. */
  timeExcluded_s: number;
}
