import { isId } from "../../protocol/schema/id.ts";
import type { AlarmQuery, HistoryQuery } from "../bridge/api-types.ts";
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

/** More buckets than a wide screen has pixel columns buys nothing. */
export const MAX_BUCKETS = 20_000;

export type Parsed<T> = { ok: true; query: T } | { ok: false; message: string };

function idParam(params: URLSearchParams, name: string): Parsed<string> {
  const value = params.get(name);
  if (value === null) return { ok: false, message: `query parameter "${name}" is required` };
  if (!isId(value)) return { ok: false, message: `query parameter "${name}" must match [A-Za-z0-9_-]{1,32} (got ${JSON.stringify(value)})` };
  return { ok: true, query: value };
}

function wholeParam(params: URLSearchParams, name: string, what: string): Parsed<number | undefined> {
  const text = params.get(name);
  if (text === null) return { ok: true, query: undefined };
  const value = Number(text);
  if (!digits.test(text) || !Number.isSafeInteger(value)) return { ok: false, message: `query parameter "${name}" must be ${what} (got ${JSON.stringify(text)})` };
  return { ok: true, query: value };
}

/** Reads `board`, `channel`, `from_us`, `to_us` (all required) and `buckets` from a /api/history query string. */
export function parseHistoryQuery(params: URLSearchParams): Parsed<HistoryQuery> {
  const board = idParam(params, "board");
  if (!board.ok) return board;
  const channel = idParam(params, "channel");
  if (!channel.ok) return channel;
  const bounds: number[] = [];
  for (const name of ["from_us", "to_us"]) {
    const value = wholeParam(params, name, "a whole number of µs since the Unix epoch");
    if (!value.ok) return value;
    if (value.query === undefined) return { ok: false, message: `query parameter "${name}" is required (µs since the Unix epoch)` };
    bounds.push(value.query);
  }
  const [from_us, to_us] = bounds as [number, number];
  if (from_us >= to_us) return { ok: false, message: `query parameter "from_us" (${from_us}) must be less than "to_us" (${to_us})` };
  const buckets = wholeParam(params, "buckets", `a whole number from 1 to ${MAX_BUCKETS}`);
  if (!buckets.ok) return buckets;
  const count = buckets.query ?? 1000;
  if (count < 1 || count > MAX_BUCKETS) return { ok: false, message: `query parameter "buckets" must be a whole number from 1 to ${MAX_BUCKETS} (got ${count})` };
  return { ok: true, query: { board: board.query, channel: channel.query, from_us, to_us, buckets: count } };
}

/** Reads the optional `board`, `from_us`, `to_us` and `limit` (1 to 10000) of /api/alarms. */
export function parseAlarmQuery(params: URLSearchParams): Parsed<AlarmQuery> {
  const query: AlarmQuery = {};
  if (params.get("board") !== null) {
    const board = idParam(params, "board");
    if (!board.ok) return board;
    query.board = board.query;
  }
  for (const name of ["from_us", "to_us"] as const) {
    const value = wholeParam(params, name, "a whole number of µs since the Unix epoch");
    if (!value.ok) return value;
    if (value.query !== undefined) query[name] = value.query;
  }
  const limit = wholeParam(params, "limit", "a whole number from 1 to 10000");
  if (!limit.ok) return limit;
  if (limit.query !== undefined) {
    if (limit.query < 1 || limit.query > 10_000) return { ok: false, message: `query parameter "limit" must be a whole number from 1 to 10000 (got ${limit.query})` };
    query.limit = limit.query;
  }
  return { ok: true, query };
}

/** Reads the required `board` of a per-board route. */
export function parseBoardQuery(params: URLSearchParams): Parsed<string> {
  return idParam(params, "board");
}
