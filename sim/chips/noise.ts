/**
 * Reproducible noise for twins: a standard normal value that depends only on a seed and a key (for
 * instance the conversion's time in µs), so a twin's code at a given time is the same on every run
 * and every query, and tests can recompute it.
 */

function mix(x: number): number {
  // A 32-bit integer hash (the finaliser of MurmurHash3): neighbouring keys give unrelated outputs.
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Standard normal deviate for (seed, key), by Box–Muller from two hashed uniforms. */
export function gaussianAt(seed: number, key: number): number {
  const k = Math.round(key);
  const lo = k % 4294967296;
  const hi = Math.floor(k / 4294967296);
  const a = mix(seed ^ mix(lo ^ mix(hi)));
  const b = mix(a ^ 0x9e3779b9);
  const u1 = (a + 1) / 4294967297;
  const u2 = b / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Key for a conversion completed at time_s: whole microseconds. */
export function timeKey(time_s: number): number {
  return Math.round(time_s * 1e6);
}
