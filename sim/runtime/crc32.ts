/**
 * The standard CRC-32 (reflected, polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF),
 * bit by bit as E.CRC32 computes it in jswrap_espruino.c, returned as an unsigned integer.
 */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (~crc) >>> 0;
}
