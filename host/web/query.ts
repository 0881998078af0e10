import { isId } from "../../protocol/schema/id.ts";
import { DEFAULT_SAMPLE_LIMIT, type SampleQuery } from "../store/store.ts";

/** One answer stays a few megabytes of JSON; longer ranges are read page by page with from_us. */
export const MAX_SAMPLE_LIMIT = 100_000;

export type ParsedQuery = { ok: true; query: SampleQuery & { limit: number } } | { ok: false; message: string };

const digits = /^[0-9]{1,16}$/;

/** Reads `board`, `channel`, `from_us`, `to_us` and `limit` from a /api/samples query string. */
export function parseSampleQuery(params: URLSearchParams): ParsedQuery {
  const board = params.get("board");
  const channel = params.get("channel");
  for (const [name, value] of [["board", board], ["channel", channel]] as const) {
    if (value === null) return { ok: false, message: `query parameter "${name}" is required` };
    if (!isId(value)) return { ok: false, message: `query parameter "${name}" must match [A-Za-z0-9_-]{1,32} (got ${JSON.stringify(value)})` };
  }
  const query: SampleQuery & { limit: number } = { board: board!, channel: channel!, limit: DEFAULT_SAMPLE_LIMIT };
  for (const name of ["from_us", "to_us"] as const) {
    const text = params.get(name);
    if (text === null) continue;
    const value = Number(text);
    if (!digits.test(text) || !Number.isSafeInteger(value)) {
      return { ok: false, message: `query parameter "${name}" must be a whole number of µs since the Unix epoch (got ${JSON.stringify(text)})` };
    }
    query[name] = value;
  }
  if (query.from_us !== undefined && query.to_us !== undefined && query.from_us >= query.to_us) {
    return { ok: false, message: `query parameter "from_us" (${query.from_us}) must be less than "to_us" (${query.to_us})` };
  }
  const limitText = params.get("limit");
  if (limitText !== null) {
    const limit = Number(limitText);
    if (!digits.test(limitText) || limit < 1 || limit > MAX_SAMPLE_LIMIT) {
      return { ok: false, message: `query parameter "limit" must be a whole number from 1 to ${MAX_SAMPLE_LIMIT} (got ${JSON.stringify(limitText)})` };
    }
    query.limit = limit;
  }
  return { ok: true, query };
}
