import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Bridge } from "../bridge/bridge.ts";
import type { BridgeControl } from "../bridge/api-types.ts";
import type { SampleStore } from "../store/store.ts";
import { checkAccess, checkBinding } from "./access.ts";
import { answerGet, answerPost, GET_ROUTES, POST_ROUTES, type ApiContext } from "./api.ts";
import { cellAnalyser, type DescribeCell } from "./cell-analysis.ts";
import { latestSamples } from "./latest-samples.ts";
import { startLiveFeed } from "./live.ts";
import { loadStaticFiles } from "./static-files.ts";

export interface WebServerOptions {
  /** 127.0.0.1 (default) serves this machine only; any other address needs `token`. */
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /**
   * Shared secret (at least 16 characters) for the API and the live feed, sent as
   * `Authorization: Bearer <token>`. Required off loopback; optional on it.
   */
  token?: string;
  bridge: Bridge & BridgeControl;
  store: SampleStore;
  /** Headspace, cantilever and direction of each board's cell, for the analysis view's gas and stress. */
  describeCell?: DescribeCell;
  /** Least time between two analyses of one board while samples keep arriving, ms (default 30 s). */
  analysisRefresh_ms?: number;
}

export interface WebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Larger request bodies are refused; a command is a few hundred bytes. */
const MAX_BODY_BYTES = 4096;

const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'",
};

/** The dashboard at /, its scripts, JSON under /api/ and bridge events on the WebSocket /live. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? "127.0.0.1";
  const token = options.token;
  checkBinding(host, token);
  const files = await loadStaticFiles();
  const live = startLiveFeed(options.bridge);
  const latest = latestSamples(options.bridge, options.store);
  const ctx: ApiContext = {
    bridge: options.bridge,
    store: options.store,
    analyser: cellAnalyser(options.store, options.describeCell, options.analysisRefresh_ms),
    latest,
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const method = request.method ?? "GET";
    if (!url.pathname.startsWith("/api/")) {
      if (method !== "GET" && method !== "HEAD") return sendJson(response, 405, { error: `method ${method} is not allowed on ${url.pathname}` }, { Allow: "GET, HEAD" });
      const file = files.get(url.pathname);
      if (file === undefined) return sendJson(response, 404, { error: `no page at ${url.pathname}; the dashboard is at /` });
      response.writeHead(200, { "Content-Type": file.type, "Cache-Control": "no-cache", ...SECURITY_HEADERS });
      return response.end(method === "HEAD" ? undefined : file.body);
    }
    const route = url.pathname.slice("/api/".length);
    const mutating = method === "POST";
    if (method !== "GET" && !mutating) return sendJson(response, 405, { error: `method ${method} is not allowed; the API answers GET and POST` }, { Allow: "GET, POST" });
    const access = checkAccess(request, url, token, mutating);
    if (!access.ok) return sendJson(response, access.status, { error: access.message });
    const answer = mutating ? readJson(request).then((body) => answerPost(ctx, route, body)) : answerGet(ctx, route, url.searchParams);
    answer.then(
      (result) => {
        if (result !== undefined) return sendJson(response, result.status, result.body);
        const routes = mutating ? POST_ROUTES : GET_ROUTES;
        sendJson(response, 404, { error: `no ${method} route ${url.pathname}; ${method} routes are ${routes.map((r) => `/api/${r}`).join(", ")}` });
      },
      (err: unknown) => {
        if (err instanceof BodyError) return sendJson(response, err.status, { error: err.message }, err.status === 413 ? { Connection: "close" } : {});
        sendJson(response, 500, { error: `${url.pathname} failed: ${err instanceof Error ? err.message : String(err)}` });
      },
    );
  });
  server.on("upgrade", (request, socket, head) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname !== "/live") {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      return;
    }
    const access = checkAccess(request, url, token, false);
    if (!access.ok) {
      socket.end(`HTTP/1.1 ${access.status} Refused\r\nConnection: close\r\n\r\n`);
      return;
    }
    live.upgrade(request, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      const hint = err.code === "EADDRINUSE" ? " (something else uses that port; choose another)" : "";
      reject(new Error(`web server could not listen on ${host}:${options.port ?? 8080}: ${err.message}${hint}`));
    });
    server.listen(options.port ?? 8080, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    async close() {
      latest.close();
      await live.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    request.on("data", (chunk: Buffer) => {
      if (bytes > MAX_BODY_BYTES) return;
      bytes += chunk.length;
      if (bytes > MAX_BODY_BYTES) {
        // not destroyed here, or the 413 would never reach the client; the answer closes the connection
        reject(new BodyError(413, `the request body is over ${MAX_BODY_BYTES} bytes; a command is a small JSON object`));
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch (err) {
        reject(new BodyError(400, `the request body is not JSON: ${err instanceof Error ? err.message : String(err)}`));
      }
    });
    request.on("error", reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...SECURITY_HEADERS, ...headers });
  response.end(JSON.stringify(body));
}
