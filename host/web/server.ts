import { readFile } from "node:fs/promises";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Bridge } from "../bridge/bridge.ts";
import type { SampleStore } from "../store/store.ts";
import { answerApi } from "./api.ts";
import { startLiveFeed } from "./live.ts";

export interface WebServerOptions {
  /** 127.0.0.1 serves this machine only; 0.0.0.0 serves the network. */
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  bridge: Bridge;
  store: SampleStore;
}

export interface WebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const INDEX_HTML = new URL("./public/index.html", import.meta.url);

/** The live page at /, JSON under /api/ and bridge events on the WebSocket /live. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? "127.0.0.1";
  const page = await readFile(INDEX_HTML);
  const live = startLiveFeed(options.bridge);
  const ctx = { bridge: options.bridge, store: options.store };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (request.method !== "GET" && request.method !== "HEAD") {
      return sendJson(response, 405, { error: `method ${request.method} is not allowed; this server only answers GET` }, { Allow: "GET, HEAD" });
    }
    if (url.pathname === "/" || url.pathname === "/index.html") {
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
      return response.end(page);
    }
    if (!url.pathname.startsWith("/api/")) return sendJson(response, 404, { error: `no page at ${url.pathname}; try / or /api/boards` });
    answerApi(ctx, url.pathname.slice("/api/".length), url.searchParams).then(
      (answer) => {
        if (answer === undefined) return sendJson(response, 404, { error: `no API route ${url.pathname}; routes are /api/boards, /api/samples and /api/stats` });
        sendJson(response, answer.status, answer.body);
      },
      (err: unknown) => sendJson(response, 500, { error: `${url.pathname} failed: ${err instanceof Error ? err.message : String(err)}` }),
    );
  });
  server.on("upgrade", (request, socket, head) => {
    if (new URL(request.url ?? "/", "http://localhost").pathname !== "/live") {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
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
      await live.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers });
  response.end(JSON.stringify(body));
}
