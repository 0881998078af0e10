/**
 * Sample exclusion with reasons. A mask holds 0 for a usable sample and otherwise the 1-based
 * number of the first reason that excluded it, so counts per reason come from one pass.
 */
export interface Exclusion {
  mask: Uint8Array;
  reasons: string[];
  /** Samples excluded per reason (a sample counts once, under its first reason). */
  excluded: Record<string, number>;
  excludedTotal: number;
}

export interface ExclusionInput {
  /** Number of samples. */
  length: number;
  /** Per-reason flags, index-aligned with the samples; nonzero means "exclude". */
  flags?: Record<string, ArrayLike<number | boolean>>;
  /** Value arrays whose non-finite samples are excluded under "not_finite:<name>". */
  finite?: Record<string, ArrayLike<number>>;
}

export function buildExclusion(input: ExclusionInput): Exclusion {
  const mask = new Uint8Array(input.length);
  const reasons: string[] = [];
  const mark = (reason: string, excluded: (i: number) => boolean): void => {
    if (reasons.length === 255) throw new Error(`too many exclusion reasons (at most 255): "${reason}" is one too many`);
    reasons.push(reason);
    const code = reasons.length;
    for (let i = 0; i < input.length; i++) if (mask[i] === 0 && excluded(i)) mask[i] = code;
  };
  for (const [reason, flags] of Object.entries(input.flags ?? {})) {
    checkLength(reason, flags.length, input.length);
    mark(reason, (i) => Boolean(flags[i]));
  }
  for (const [name, values] of Object.entries(input.finite ?? {})) {
    checkLength(name, values.length, input.length);
    mark(`not_finite:${name}`, (i) => !Number.isFinite(values[i]));
  }
  return countExclusion(mask, reasons);
}

export function countExclusion(mask: Uint8Array, reasons: string[]): Exclusion {
  const counts = new Float64Array(reasons.length + 1);
  for (let i = 0; i < mask.length; i++) counts[mask[i]]++;
  const excluded: Record<string, number> = {};
  let excludedTotal = 0;
  reasons.forEach((reason, k) => {
    excluded[reason] = counts[k + 1];
    excludedTotal += counts[k + 1];
  });
  return { mask, reasons, excluded, excludedTotal };
}

function checkLength(name: string, got: number, expected: number): void {
  if (got !== expected) throw new Error(`exclusion input "${name}" has ${got} samples but the time base has ${expected}; align it first`);
}
