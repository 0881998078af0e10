// IEEE 754 binary32 → binary16 narrowing on the raw bits, for CBOR's preferred serialization of
// floats (RFC 8949 §4.1). Integer bit operations only: Espruino's Math.pow is inexact and there
// is no Math.fround.

/**
 * The binary16 bits of the binary32 value with bits `f32`, or -1 when binary16 cannot hold the
 * value exactly. NaN is not handled here (CBOR writes the canonical f97e00 for every NaN).
 */
export function halfBitsOf(f32: number): number {
  const sign = (f32 >>> 16) & 0x8000;
  const exponent = (f32 >>> 23) & 0xff;
  const mantissa = f32 & 0x7fffff;
  if (exponent === 0xff) return mantissa === 0 ? sign | 0x7c00 : -1;
  if (exponent === 0) return mantissa === 0 ? sign : -1; // binary32 subnormals are below 2^-126
  const e = exponent - 127;
  if (e > 15) return -1;
  if (e >= -14) {
    // normal binary16: the 10 kept mantissa bits must carry the whole binary32 mantissa
    if ((mantissa & 0x1fff) !== 0) return -1;
    return sign | ((e + 15) << 10) | (mantissa >>> 13);
  }
  if (e < -24) return -1;
  // subnormal binary16 is h·2^-24 with h < 1024; the full significand is s·2^(e-23)
  const significand = 0x800000 | mantissa;
  const shift = -(e + 1);
  if ((significand & ((1 << shift) - 1)) !== 0) return -1;
  return sign | (significand >>> shift);
}
