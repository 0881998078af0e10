import { describe, expect, it } from "vitest";
import { parseSampleQuery } from "../../host/web/query.ts";

const parse = (query: string) => parseSampleQuery(new URLSearchParams(query));

describe("parseSampleQuery", () => {
  it("reads every parameter", () => {
    expect(parse("board=cell-07&channel=p1&from_us=1754000001000000&to_us=1754000002000000&limit=25")).toEqual({
      ok: true,
      query: { board: "cell-07", channel: "p1", from_us: 1754000001000000, to_us: 1754000002000000, limit: 25 },
    });
    expect(parse("board=b&channel=c")).toEqual({ ok: true, query: { board: "b", channel: "c", limit: 10_000 } });
  });

  it("explains what is wrong", () => {
    expect(parse("channel=p1")).toEqual({ ok: false, message: 'query parameter "board" is required' });
    expect(parse("board=a/b&channel=p1")).toMatchObject({ ok: false, message: expect.stringContaining('"board" must match') });
    expect(parse("board=b&channel=c&from_us=-5")).toMatchObject({ ok: false, message: expect.stringContaining('"from_us"') });
    expect(parse("board=b&channel=c&to_us=1e6")).toMatchObject({ ok: false, message: expect.stringContaining('"to_us"') });
    expect(parse("board=b&channel=c&from_us=9&to_us=9")).toMatchObject({ ok: false, message: expect.stringContaining("less than") });
    expect(parse("board=b&channel=c&limit=0")).toMatchObject({ ok: false, message: expect.stringContaining('"limit"') });
    expect(parse("board=b&channel=c&limit=100001")).toMatchObject({ ok: false, message: expect.stringContaining('"limit"') });
  });
});
