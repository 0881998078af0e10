import Type from "typebox";

/** Boot ids and sequence numbers are 32-bit on the board. */
export const Uint32 = Type.Integer({ minimum: 0, maximum: 4294967295 });

/** Times and counts: exact integers up to 2^53 (PROTOCOL.md, encoding rules). */
export const Uint = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
