import { Decoder, type Options } from "cbor-x";
import { scanCbor } from "./cbor-scan.ts";
import { fail, type DecodeResult } from "./result.ts";

/**
 * cbor-x records and structured clones are extensions our boards never send; maps become plain
 * objects. 64-bit integers (times in µs) become numbers: the schemas cap them at 2^53 − 1, and a
 * larger one rounds to at least 2^53, so it is still refused rather than silently altered.
 * (`int64AsNumber` is read by cbor-x's decoder but missing from its type declarations.)
 */
const decoder = new Decoder({ useRecords: false, mapsAsObjects: true, int64AsNumber: true } as Options);

/**
 * Decodes exactly one CBOR item; never throws. The structural scan runs first, so cbor-x only sees
 * payloads whose every length fits the bytes at hand and whose tags are the protocol's own.
 */
export function decodeCbor(payload: Uint8Array): DecodeResult<unknown> {
  if (payload.length === 0) return fail("cbor", "payload is empty; expected one CBOR map");
  const problem = scanCbor(payload);
  if (problem !== undefined) return { ok: false, error: problem };
  try {
    return { ok: true, message: decoder.decode(payload) };
  } catch (err) {
    return fail("cbor", `payload is not valid CBOR (${err instanceof Error ? err.message : String(err)})`);
  }
}
