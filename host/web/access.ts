import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** Throws unless the address is loopback or a token guards it. */
export function checkBinding(host: string, token: string | undefined): void {
  if (token !== undefined && token.length < 16) {
    throw new Error(`the dashboard token is ${token.length} characters long; use at least 16 random characters (e.g. \`openssl rand -hex 16\`)`);
  }
  if (!isLoopback(host) && token === undefined) {
    throw new Error(
      `refusing to serve the dashboard on ${host} without a token: anyone on the network could send commands to the boards; ` +
        `give --token (or CELLRIG_TOKEN), or bind to 127.0.0.1`,
    );
  }
}

export type AccessDecision = { ok: true } | { ok: false; status: number; message: string };

const OK: AccessDecision = { ok: true };

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** The token a request carries: `Authorization: Bearer <token>`, or `?token=` where a header cannot be set (WebSocket). */
function presented(request: IncomingMessage, url: URL): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined && header.startsWith("Bearer ")) return header.slice("Bearer ".length).trim();
  return url.searchParams.get("token") ?? undefined;
}

/**
 * Who may use the API and the live feed. With a token, every API call and the live feed need it
 * (the page and its scripts do not, so the page can ask for it). Without one the server is on
 * loopback; a request naming another host is refused, so a web page elsewhere cannot reach it
 * through DNS rebinding, and a state-changing request must come from the dashboard's own origin.
 */
export function checkAccess(request: IncomingMessage, url: URL, token: string | undefined, mutating: boolean): AccessDecision {
  if (token !== undefined) {
    const given = presented(request, url);
    if (given === undefined) return { ok: false, status: 401, message: "this dashboard needs its token: send `Authorization: Bearer <token>` (the page asks for it)" };
    if (!timingSafeEqual(digest(given), digest(token))) return { ok: false, status: 403, message: "the token does not match the one the dashboard was started with" };
    return OK;
  }
  const hostHeader = request.headers.host ?? "";
  const hostname = hostHeader.replace(/:\d+$/, "");
  if (!isLoopback(hostname)) {
    return { ok: false, status: 403, message: `requests must name this machine (127.0.0.1 or localhost), not "${hostHeader}"; start with --token to serve other hosts` };
  }
  if (mutating) {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `http://${hostHeader}`) {
      return { ok: false, status: 403, message: `a command from another site (${origin}) is refused; use the dashboard at http://${hostHeader}` };
    }
    if (!(request.headers["content-type"] ?? "").startsWith("application/json")) {
      return { ok: false, status: 415, message: "send commands as JSON (Content-Type: application/json)" };
    }
  }
  return OK;
}
