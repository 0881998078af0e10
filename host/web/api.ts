import type { Bridge } from "../bridge/bridge.ts";
import type { BridgeControl } from "../bridge/api-types.ts";
import type { SampleStore } from "../store/store.ts";
import type { CellAnalyser } from "./cell-analysis.ts";
import type { LatestSamples } from "./latest-samples.ts";
import { parseCommandPost } from "./commands.ts";
import { parseAlarmQuery, parseBoardQuery, parseHistoryQuery, parseSampleQuery } from "./query.ts";

export interface ApiResponse {
  status: number;
  body: unknown;
}

export interface ApiContext {
  bridge: Bridge & BridgeControl;
  store: SampleStore;
  analyser: CellAnalyser;
  latest: LatestSamples;
}

export const GET_ROUTES = ["boards", "registry", "samples", "history", "alarms", "analysis", "stats"] as const;
export const POST_ROUTES = ["commands", "alarms/ack"] as const;

const bad = (message: string): ApiResponse => ({ status: 400, body: { error: message } });

/** Answers GET /api/<route>; undefined when no such route exists. */
export async function answerGet(ctx: ApiContext, route: string, params: URLSearchParams): Promise<ApiResponse | undefined> {
  switch (route) {
    case "boards":
      return { status: 200, body: await boardsWithLatest(ctx) };
    case "registry":
      return { status: 200, body: ctx.bridge.registry() };
    case "samples": {
      const parsed = parseSampleQuery(params);
      if (!parsed.ok) return bad(parsed.message);
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
    case "history": {
      const parsed = parseHistoryQuery(params);
      if (!parsed.ok) return bad(parsed.message);
      return { status: 200, body: { ...parsed.query, ...(await ctx.store.history(parsed.query)) } };
    }
    case "alarms": {
      const parsed = parseAlarmQuery(params);
      if (!parsed.ok) return bad(parsed.message);
      return { status: 200, body: await ctx.store.alarms(parsed.query) };
    }
    case "analysis": {
      const board = parseBoardQuery(params);
      if (!board.ok) return bad(board.message);
      if (params.get("cached") === "1") {
        // The cell view's cycle markers: never start a full analysis of a long run just to draw them.
        const view = ctx.analyser.cached(board.query);
        return view === undefined ? { status: 404, body: { error: `board "${board.query}" has not been analysed yet; open its analysis view` } } : { status: 200, body: view };
      }
      try {
        return { status: 200, body: await ctx.analyser.view(board.query) };
      } catch (err) {
        // A board without voltage and current, or with too few samples yet, cannot be analysed; that is not a server fault.
        return { status: 422, body: { error: err instanceof Error ? err.message : String(err) } };
      }
    }
    case "stats":
      return { status: 200, body: { ...ctx.bridge.stats(), rejections: ctx.bridge.rejections() } };
    default:
      return undefined;
  }
}

/** Answers POST /api/<route> with its parsed JSON body; undefined when no such route exists. */
export async function answerPost(ctx: ApiContext, route: string, body: unknown): Promise<ApiResponse | undefined> {
  switch (route) {
    case "commands": {
      const parsed = parseCommandPost(body);
      if (!parsed.ok) return bad(parsed.message);
      const { board, command, timeout_ms } = parsed.post;
      const rig = parsed.post.rig ?? ctx.bridge.registry().find((b) => b.board === board)?.rig;
      if (rig === undefined) return { status: 404, body: { error: `board "${board}" is not known to the bridge; it must have sent a birth since the bridge started` } };
      const sent_ms = Date.now();
      try {
        const ack = await ctx.bridge.sendCommand(rig, board, command, timeout_ms);
        return { status: 200, body: { board, rig, command, ack, roundTrip_ms: Date.now() - sent_ms } };
      } catch (err) {
        return { status: 504, body: { error: err instanceof Error ? err.message : String(err), board, rig, command } };
      }
    }
    case "alarms/ack": {
      const { board, key, user } = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
      if (typeof board !== "string" || typeof key !== "string" || typeof user !== "string") {
        return bad('the body must be {"board": <id>, "key": "<channel>/<rule>", "user": <name>}');
      }
      const name = user.trim();
      if (name.length === 0 || name.length > 64) return bad(`"user" must name who acknowledges, 1 to 64 characters (got ${JSON.stringify(user)})`);
      try {
        return { status: 200, body: await ctx.bridge.acknowledgeAlarm(board, key, name) };
      } catch (err) {
        return { status: 404, body: { error: err instanceof Error ? err.message : String(err) } };
      }
    }
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
          latest: (await ctx.latest.get(board.board, c.id)) ?? null,
        })),
      ),
    })),
  );
}
