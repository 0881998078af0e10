// Espruino's sockets carry byte strings; E.toString converts a byte array in native code.
// Declared here rather than taken from espruino.d.ts because host-side tests type-check this
// module too, with Node's globals instead of the board's.
declare const E: { toString(data: Uint8Array): string };

/** The bytes as a string of char codes 0–255 (what a socket's write takes). */
export function toByteString(data: Uint8Array): string {
  return E.toString(data);
}
