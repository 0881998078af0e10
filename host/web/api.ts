import type { Bridge } from "../bridge/bridge.ts";
import type { SampleStore } from "../store/store.ts";
import { parseSampleQuery } from "./query.ts";

export interface ApiResponse {
  status: number;
  body: unknown;
}

export interface ApiContext {
  bridge: Bridge;
  store: SampleStore;
}

/** Answers GET /api/<route>; undefined when no such route exists. */
export async function answerApi(ctx: ApiContext, route: string, params: URLSearchParams): Promise<ApiResponse | undefined> {
  switch (route) {
    case "boards":
      return { status: 200, body: await boardsWithLatest(ctx) };
    case "samples": {
      const parsed = parseSampleQuery(params);
      if (!parsed.ok) return { status: 400, body: { error: parsed.message } };
      const samples = await ctx.store.samples(parsed.query);
      return {
        status: 200,
        body: {
          board: parsed.query.board,
          channel: parsed.query.channel,
          count: samples.length,
          t_us: samples.map((s) => s.t_us),
          raw: samples.map((s) => s.raw),
          value: samples.map((s) => s.value),
        },
      };
    }
    case "stats":
      return { status: 200, body: { ...ctx.bridge.stats(), rejections: ctx.bridge.rejections() } };
    default:
      return undefined;
  }
}

/** Every stored board with its channels and each channel's newest sample; `online` is null for boards the bridge has not heard from since it started. */
async function boardsWithLatest(ctx: ApiContext) {
  const live = new Map(ctx.bridge.boards().map((b) => [b.board, b]));
  const boards = await ctx.store.boards();
  return Promise.all(
    boards.map(async (board) => ({
      board: board.board,
      rig: board.rig,
      boot: board.boot,
      profile: board.profile,
      fw: board.fw,
      online: live.get(board.board)?.online ?? null,
      channels: await Promise.all(
        board.channels.map(async (c) => ({
          id: c.id,
          quantity: c.quantity,
          unit: c.unit,
          sensor: c.sensor,
          rate_hz: c.rate_hz,
          latest: (await ctx.store.latest(board.board, c.id)) ?? null,
        })),
      ),
    })),
  );
}
