import { Agent, request } from "node:http";
import fc from "fast-check";
import type { Bridge } from "../../host/bridge/bridge.ts";
import type { BridgeControl } from "../../host/bridge/api-types.ts";
import type { SampleStore } from "../../host/store/store.ts";
import { GET_ROUTES, POST_ROUTES } from "../../host/web/api.ts";
import { startWebServer, type WebServer } from "../../host/web/server.ts";
import { oneBoardBridge } from "../fixtures/one-board-bridge.ts";
import { ODD_VALUES, sampled } from "./generate.ts";
import { settledHeap_B, Tally, type SurfaceReport } from "./tally.ts";

// The dashboard server (host/web) on loopback, twice: with a token (every API call needs it) and
// without (requests must name this machine; commands must come from its own origin as JSON). The
// bridge and store behind it are stand-ins that answer at once, so what is measured is the
// server's handling of the request. Every refusal must be a 4xx with a JSON `error` that says why;
// a 5xx, a dropped connection or no answer counts as a crash; after each batch the server must
// still answer a valid request.

const TOKEN = "fuzz-token-0123456789abcdef";
const HANG_ms = 5000;

function standIns(): { bridge: Bridge & BridgeControl; store: SampleStore } {
  const { bridge } = oneBoardBridge();
  // every query of the store finds nothing
  const store = new Proxy({}, { get: (_t, name) => (name === "then" ? undefined : async () => (name === "history" ? { buckets: [] } : [])) }) as SampleStore;
  return { bridge, store };
}

interface Req {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
  tokenServer: boolean;
  how: string;
}

const PARAMS = ["board", "channel", "from_us", "to_us", "limit", "buckets", "cached", "token", "rig", "state"];

function requests(): fc.Arbitrary<Req> {
  const value = fc.oneof(fc.constantFrom(...ODD_VALUES.map(String), "b1", "p1", "1", "1754000000000000", "100000", "100001"), fc.string({ maxLength: 20 }));
  const query = fc.array(fc.tuple(fc.constantFrom(...PARAMS), value), { maxLength: 5 }).map((pairs) => (pairs.length === 0 ? "" : `?${new URLSearchParams(pairs).toString()}`));
  const route = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...GET_ROUTES, ...POST_ROUTES).map((r) => `/api/${r}`) },
    { weight: 1, arbitrary: fc.constantFrom("/", "/app.js", "/api/", "/api", "/live", "/api/../api/boards", "/api/%2e%2e/boards", "//api/boards", "/api/boards/", "/%00", "/api/samples%00", `/${"a".repeat(3000)}`) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((s) => `/api/${encodeURIComponent(s)}`) },
  );
  const command = fc.record({
    board: fc.oneof(fc.constant("b1"), value),
    rig: fc.option(fc.oneof(fc.constant("rig-a"), value), { nil: undefined }),
    timeout_ms: fc.option(fc.constantFrom(100, 99, 60_000, 60_001, -1, 1e9, "100"), { nil: undefined }),
    command: fc.oneof(
      fc.record({ op: fc.constantFrom("set_rate", "set_threshold", "rebirth", "reboot", "resend_from", "x"), channel: fc.oneof(fc.constant("p1"), value), rate_hz: fc.constantFrom(...ODD_VALUES), rule: value, threshold: fc.constantFrom(...ODD_VALUES), persist: fc.constantFrom(true, false, "yes", 1) }, { requiredKeys: ["op"] }),
      fc.constantFrom(...ODD_VALUES),
    ),
  });
  const body = fc.oneof(
    { weight: 4, arbitrary: command.map((c) => JSON.stringify(c)) },
    { weight: 1, arbitrary: fc.record({ board: value, key: value, user: value }).map((c) => JSON.stringify(c)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 100, unit: "binary" }) },
    { weight: 1, arbitrary: fc.constantFrom("", "{", "null", "[]", '"x"', "1e999", `{"a":${"[".repeat(5000)}`, "x".repeat(5000)) },
  );
  const auth = fc.constantFrom<string | undefined>(undefined, `Bearer ${TOKEN}`, `Bearer ${TOKEN}`, "Bearer wrong", `bearer ${TOKEN}`, "Bearer ", `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, `Bearer ${"x".repeat(4000)}`);
  const host = fc.constantFrom<string | undefined>(undefined, undefined, "localhost", "evil.example", "127.0.0.2", "[::1]", "127.0.0.1.nip.io");
  const origin = fc.constantFrom<string | undefined>(undefined, undefined, "http://evil.example", "null");
  const type = fc.constantFrom<string | undefined>("application/json", "application/json", "text/plain", undefined, "application/jsonx", "multipart/form-data");
  return fc
    .record({
      method: fc.constantFrom("GET", "GET", "POST", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"),
      route,
      query,
      body,
      auth,
      host,
      origin,
      type,
      tokenServer: fc.boolean(),
    })
    .map((r) => {
      const headers: Record<string, string> = {};
      if (r.auth !== undefined) headers.authorization = r.auth;
      if (r.host !== undefined) headers.host = r.host;
      if (r.origin !== undefined) headers.origin = r.origin;
      if (r.type !== undefined) headers["content-type"] = r.type;
      const hasBody = r.method !== "GET" && r.method !== "HEAD";
      return { method: r.method, path: r.route + r.query, headers, body: hasBody ? r.body : undefined, tokenServer: r.tokenServer, how: r.tokenServer ? "token server" : "loopback server" };
    });
}

interface Answer {
  status: number;
  body: string;
}

function send(agent: Agent | false, port: number, req: Req): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers };
    if (headers.host === undefined) headers.host = `127.0.0.1:${port}`;
    const r = request({ host: "127.0.0.1", port, method: req.method, path: req.path, headers, agent, timeout: HANG_ms }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    r.on("timeout", () => r.destroy(new Error(`no answer within ${HANG_ms} ms`)));
    r.on("error", reject);
    r.end(req.body);
  });
}

function retried(agent: Agent, port: number, req: Req): Promise<Answer> {
  return send(agent, port, req).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ECONNRESET" || err.message === "socket hang up") return send(false, port, req);
    throw err;
  });
}

/** The class of a refusal: its status and the error's first words, without the values it quotes. */
function reason(answer: Answer, method: string): string | undefined {
  if (method === "HEAD") return `${answer.status} (HEAD: status only)`;
  let error: unknown;
  try {
    error = (JSON.parse(answer.body) as { error?: unknown }).error;
  } catch {
    return undefined;
  }
  if (typeof error !== "string" || error.length === 0) return undefined;
  // quoted names and values vary from input to input; what is left says which rule refused
  const words = error.replace(/"[^"]*"/g, "…").split(/[(0-9;:/`]/)[0]!.replace(/\s+/g, " ").trim().slice(0, 48);
  return `${answer.status} ${words}`;
}

export async function fuzzHttp(count: number, seed: number): Promise<SurfaceReport> {
  const tally = new Tally("HTTP API", HANG_ms);
  const servers: WebServer[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  try {
    const { bridge, store } = standIns();
    const withToken = await startWebServer({ port: 0, bridge, store, token: TOKEN });
    const loopback = await startWebServer({ port: 0, bridge, store });
    servers.push(withToken, loopback);
    const valid: Req = { method: "GET", path: "/api/registry", headers: { authorization: `Bearer ${TOKEN}` }, body: undefined, tokenServer: true, how: "valid" };
    const heapBefore_B = settledHeap_B();
    let batch: Promise<void>[] = [];
    let n = 0;
    for (const req of sampled(requests(), count, seed)) {
      const port = req.tokenServer ? withToken.port : loopback.port;
      const shown = () => `${req.how}: ${req.method} ${req.path.slice(0, 200)} ${JSON.stringify(req.headers).slice(0, 300)} body ${JSON.stringify(req.body?.slice(0, 200))}`;
      const start = performance.now();
      batch.push(
        // a server that answers before reading a body closes that connection; a request the agent sent on it just then is sent again on a new one
        retried(agent, port, req).then(
          (answer) => {
            const elapsed = performance.now() - start;
            if (answer.status >= 200 && answer.status < 300) tally.record(undefined, elapsed, shown);
            else if (answer.status >= 500 || answer.status < 200) tally.crash(`answered ${answer.status} ${answer.body.slice(0, 200)}`, elapsed, shown);
            else {
              const why = reason(answer, req.method);
              if (why === undefined) tally.crash(`refused ${answer.status} without a JSON error: ${JSON.stringify(answer.body.slice(0, 200))}`, elapsed, shown);
              else tally.record(why, elapsed, shown);
            }
          },
          (err: Error) => tally.crash(`no answer: ${err.message}`, performance.now() - start, shown),
        ),
      );
      if (batch.length === 16) {
        await Promise.all(batch);
        batch = [];
      }
      if (++n % 2000 === 0) {
        const answer = await send(agent, withToken.port, valid).catch((err: Error) => ({ status: 0, body: err.message }));
        if (answer.status !== 200) tally.fail(`the server stopped answering a valid request after ${n} inputs: ${answer.status} ${answer.body.slice(0, 200)}`);
      }
    }
    await Promise.all(batch);
    const heapGrowth_B = settledHeap_B() - heapBefore_B;
    return tally.report(heapGrowth_B);
  } finally {
    agent.destroy();
    for (const s of servers) await s.close();
  }
}
