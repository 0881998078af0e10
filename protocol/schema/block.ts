import Type, { type Static } from "typebox";

/**
 * One channel's samples in a data frame, as cbor-x decodes it: an untagged byte string (zigzag
 * LEB128 deltas) arrives as a Uint8Array, RFC 8746 typed arrays (tags 77, 69, 78, 85) as the
 * matching typed array.
 */
export const Block = Type.Refine(
  Type.Unsafe<Uint8Array | Int16Array | Uint16Array | Int32Array | Float32Array>({
    description:
      "CBOR byte string of zigzag LEB128 varints (first raw code absolute, then differences), or an RFC 8746 " +
      "typed array: tag 77 sint16, 69 uint16, 78 sint32 or 85 float32, little-endian (no JSON equivalent)",
  }),
  (value) =>
    value instanceof Uint8Array ||
    value instanceof Int16Array ||
    value instanceof Uint16Array ||
    value instanceof Int32Array ||
    value instanceof Float32Array,
  () => "must be a byte string or a typed array (sint16, uint16, sint32 or float32, little-endian)",
);
export type Block = Static<typeof Block>;
