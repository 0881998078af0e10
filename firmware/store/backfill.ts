// Marks a stored data frame as backfill (docs/PROTOCOL.md "data", key `f` bit 0). Frames are encoded
// once, unflagged, when they are cut; a frame that misses its live delivery is written to flash with
// `"f": 1` inserted. In core deterministic order `f` comes right after `c`, so the patch is: the map
// head one pair larger, and three bytes (text "f", uint 1) where `c`'s array ends. The result is
// byte for byte what the encoder would have written with the flag set.

const MAJOR_BYTES = 2;
const MAJOR_ARRAY = 4;
const MAJOR_TAG = 6;
/** Text "f" followed by the unsigned integer 1 (FRAME_BACKFILL). */
export const BACKFILL_ENTRY = [0x61, 0x66, 0x01];

let headArg = 0;

/** Reads the head at `p`; leaves its argument in headArg and returns where the head ends, or -1. */
function head(frame: Uint8Array, p: number): number {
  if (p >= frame.length) return -1;
  const info = frame[p] & 31;
  if (info < 24) {
    headArg = info;
    return p + 1;
  }
  const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : 0;
  if (size === 0 || p + size >= frame.length) return -1;
  let v = 0;
  for (let i = 1; i <= size; i++) v = v * 256 + frame[p + i];
  headArg = v;
  return p + 1 + size;
}

function isKey(frame: Uint8Array, p: number, key: number): boolean {
  return frame[p] === 0x61 && frame[p + 1] === key;
}

/**
 * Where the `f` entry goes in an unflagged data frame (the end of the `c` array), or -1 when the
 * frame already carries flags or is not a data frame this firmware wrote.
 */
export function backfillOffset(frame: Uint8Array): number {
  const pairs = frame[0] & 31;
  if (frame[0] >> 5 !== 5 || pairs > 22 || !isKey(frame, 1, 0x62)) return -1;
  let p = head(frame, 3);
  if (p < 0 || !isKey(frame, p, 0x63)) return -1;
  const arrayAt = p + 2;
  if (frame[arrayAt] >> 5 !== MAJOR_ARRAY) return -1;
  p = head(frame, arrayAt);
  if (p < 0) return -1;
  let blocks = headArg;
  while (blocks-- > 0) {
    if (p >= frame.length) return -1;
    if (frame[p] >> 5 === MAJOR_TAG) {
      p = head(frame, p);
      if (p < 0) return -1;
    }
    if (frame[p] >> 5 !== MAJOR_BYTES) return -1;
    p = head(frame, p);
    if (p < 0) return -1;
    p += headArg;
  }
  if (p + 1 >= frame.length || isKey(frame, p, 0x66)) return -1;
  return p;
}
