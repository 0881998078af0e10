import { get } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { BoardStatus } from "../../host/bridge/api-types.ts";
import type { SampleStore } from "../../host/store/store.ts";
import { startWebServer, type WebServer } from "../../host/web/server.ts";
import { oneBoardBridge } from "../../scripts/fixtures/one-board-bridge.ts";

// Who may reach the dashboard: loopback by default, a token anywhere else, the token for every
// API call once one is set, and commands only from the dashboard's own origin.

const TOKEN = "0123456789abcdef-token";

/** The one-board bridge and an empty store: enough to exercise access rules. */
function fakes() {
  const { bridge, sent } = oneBoardBridge();
  const store = { boards: async () => [] } as unknown as SampleStore;
  return { bridge, store, sent };
}

const command = { board: "b1", command: { op: "set_rate", channel: "p1", rate_hz: 20 } };

function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
}

describe("dashboard access", () => {
  let web: WebServer | undefined;
  afterEach(async () => {
    await web?.close();
    web = undefined;
  });

  it("refuses to start on a network address without a token, naming the fix", async () => {
    const { bridge, store } = fakes();
    await expect(startWebServer({ host: "0.0.0.0", port: 0, bridge, store })).rejects.toThrow(
      /refusing to serve the dashboard on 0\.0\.0\.0 without a token.*give --token \(or CELLRIG_TOKEN\), or bind to 127\.0\.0\.1/,
    );
  });

  it("refuses a token too short to be a secret", async () => {
    const { bridge, store } = fakes();
    await expect(startWebServer({ host: "0.0.0.0", port: 0, bridge, store, token: "short" })).rejects.toThrow(/token is 5 characters long; use at least 16/);
  });

  it("starts on a network address with a token and then wants it for every API call and the live feed", async () => {
    const { bridge, store, sent } = fakes();
    web = await startWebServer({ host: "0.0.0.0", port: 0, bridge, store, token: TOKEN });
    const base = `http://127.0.0.1:${web.port}`;
    // The page itself loads without the token, so it can ask for it.
    expect((await fetch(`${base}/`)).status).toBe(200);
    expect((await fetch(`${base}/api/registry`)).status).toBe(401);
    expect((await fetch(`${base}/api/registry`, { headers: { Authorization: "Bearer wrong-token-0000000" } })).status).toBe(403);
    const registry = await fetch(`${base}/api/registry`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(registry.status).toBe(200);
    expect(((await registry.json()) as BoardStatus[]).map((b) => b.board)).toEqual(["b1"]);

    const refused = await postJson(`${base}/api/commands`, command);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toMatch(/needs its token/);
    expect(sent).toEqual([]);
    const accepted = await postJson(`${base}/api/commands`, command, { Authorization: `Bearer ${TOKEN}` });
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as { ack: { ok: boolean; id: number } }).ack).toMatchObject({ ok: true, id: 41 });
    expect(sent).toEqual([{ rig: "rig-a", board: "b1", command: { op: "set_rate", channel: "p1", rate_hz: 20 } }]);

    const opened = (url: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url);
        ws.on("open", () => {
          ws.close();
          resolve("open");
        });
        ws.on("error", () => resolve("refused"));
      });
    expect(await opened(`ws://127.0.0.1:${web.port}/live`)).toBe("refused");
    expect(await opened(`ws://127.0.0.1:${web.port}/live?token=${TOKEN}`)).toBe("open");
  });

  it("on loopback without a token takes commands from its own page only", async () => {
    const { bridge, store, sent } = fakes();
    web = await startWebServer({ host: "127.0.0.1", port: 0, bridge, store });
    const url = `${web.url}/api/commands`;
    expect((await postJson(url, command, { Origin: web.url })).status).toBe(200);
    expect((await postJson(url, command, { Origin: "http://evil.example" })).status).toBe(403);
    const form = await fetch(url, { method: "POST", headers: { "Content-Type": "text/plain" }, body: JSON.stringify(command) });
    expect(form.status).toBe(415);
    expect(sent).toHaveLength(1);
    // A page elsewhere reaching this port through DNS rebinding names another host.
    const rebound = await new Promise<number | undefined>((resolve, reject) => {
      get(`${web!.url}/api/registry`, { headers: { Host: "evil.example:80" } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on("error", reject);
    });
    expect(rebound).toBe(403);
  });

  it("checks a command against the protocol before it reaches the bridge", async () => {
    const { bridge, store, sent } = fakes();
    web = await startWebServer({ host: "127.0.0.1", port: 0, bridge, store });
    const url = `${web.url}/api/commands`;
    const bad = async (body: unknown) => ((await (await postJson(url, body)).json()) as { error: string }).error;
    expect(await bad({ board: "b1", command: { op: "set_rate", channel: "p1", rate_hz: 5000 } })).toMatch(/^set_rate is not valid: command\.rate_hz: /);
    expect(await bad({ board: "b1", command: { op: "reboot" } })).toBe('"command.op" must be one of set_rate, set_threshold, rebirth (got "reboot")');
    expect(await bad({ board: "b 1", command: { op: "rebirth" } })).toMatch(/"board" must be a board id/);
    const unknown = await postJson(url, { board: "b9", command: { op: "rebirth" } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toBe('board "b9" is not known to the bridge; it must have sent a birth since the bridge started');
    expect(sent).toEqual([]);
  });
});
