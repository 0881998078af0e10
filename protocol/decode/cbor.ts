import { Decoder } from "cbor-x";
import { fail, type DecodeResult } from "./result.ts";

/** cbor-x records and structured clones are extensions our boards never send; maps become plain objects. */
const decoder = new Decoder({ useRecords: false, mapsAsObjects: true });

/** Decodes exactly one CBOR item; never throws. */
export function decodeCbor(payload: Uint8Array): DecodeResult<unknown> {
  if (payload.length === 0) return fail("cbor", "payload is empty; expected one CBOR map");
  try {
    return { ok: true, message: decoder.decode(payload) };
  } catch (err) {
    return fail("cbor", `payload is not valid CBOR (${err instanceof Error ? err.message : String(err)})`);
  }
}
