/** A sensor input the acquisition loop samples: raw integer codes, calibration travels in the birth. */
export interface SampleSource {
  /** Configures the chip; throws an Error naming the channel and what to check. */
  start(): void;
  /** One raw code, taken now. Constant work, no allocation. */
  read(): number;
  /** Quality flags (QUALITY_* of protocol/wire/data-frame.ts) of the last read; 0 when it is sound. */
  quality(): number;
}
