// Calls to the dashboard's JSON API, with the access token when the server asks for one.

const TOKEN_KEY = "cellrig.token";

/** A token given as #token=... in the address is kept for this tab and removed from the address bar. */
export function adoptTokenFromAddress() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
  history.replaceState(null, "", location.pathname + location.hash.replace(/&?token=[^&]+/, "").replace(/^#&/, "#"));
}

export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Thrown for an answer other than 2xx; `status` 401/403 means the token is missing or wrong. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const listeners = new Set();
/** Called with every ApiError of status 401 or 403, so the page can ask for the token. */
export function onUnauthorised(listener) {
  listeners.add(listener);
}

async function call(path, init) {
  const headers = { ...(init.headers || {}) };
  const t = token();
  if (t) headers.Authorization = "Bearer " + t;
  const response = await fetch(path, { ...init, headers });
  const body = await response.json().catch(() => ({ error: "answer was not JSON" }));
  if (!response.ok) {
    const error = new ApiError(response.status, body.error || path + " answered " + response.status);
    if (response.status === 401 || response.status === 403) for (const l of listeners) l(error);
    throw error;
  }
  return body;
}

export function get(route, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) query.set(k, String(v));
  const text = query.toString();
  return call("/api/" + route + (text ? "?" + text : ""), { method: "GET" });
}

export function post(route, body) {
  return call("/api/" + route, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

/** The WebSocket address of the live feed; the token goes in the query as browsers cannot set headers there. */
export function liveUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const t = token();
  return scheme + "//" + location.host + "/live" + (t ? "?token=" + encodeURIComponent(t) : "");
}
