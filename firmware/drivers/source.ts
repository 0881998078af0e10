/** A sensor input the acquisition loop samples: raw integer codes, calibration travels in the birth. */
export interface SampleSource {
  /** Configures the chip; throws an Error naming the channel and what to check. */
  start(): void;
  /** One raw code, taken now. Constant work, no allocation. */
  read(): number;
}
