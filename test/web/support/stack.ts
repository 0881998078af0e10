import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadBoardProfile, type BoardProfile } from "../../../boards/profile.ts";
import { validateRigConfig } from "../../../boards/rig-config.ts";
import type { RigConfig } from "../../../boards/rig-schema.ts";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../../host/broker/embedded.ts";
import { startBridge, type Bridge } from "../../../host/bridge/bridge.ts";
import { DuckDbStore } from "../../../host/store/duckdb-store.ts";
import type { DescribeCell } from "../../../host/web/cell-analysis.ts";
import { startWebServer, type WebServer } from "../../../host/web/server.ts";

/** Broker, bridge with a DuckDB store in a temporary folder, and the dashboard on a free loopback port. */
export interface WebStack {
  broker: EmbeddedBroker;
  store: DuckDbStore;
  bridge: Bridge;
  web: WebServer;
  dir: string;
  close(): Promise<void>;
}

export async function startWebStack(options: { token?: string; describeCell?: DescribeCell } = {}): Promise<WebStack> {
  const broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
  const dir = mkdtempSync(join(tmpdir(), "cellrig-web-"));
  const store = new DuckDbStore({ path: join(dir, "samples.duckdb") });
  await store.open();
  const bridge = await startBridge({ brokerUrl: broker.url, store, mqttVersion: 4, clientId: `web-test-${process.pid}` });
  const web = await startWebServer({ host: "127.0.0.1", port: 0, bridge, store, ...options });
  return {
    broker,
    store,
    bridge,
    web,
    dir,
    async close() {
      await web.close();
      await bridge.stop();
      await store.close();
      await broker.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A rig file of rigs/ pointed at the test broker, with changes. */
export function rigFor(name: string, broker: EmbeddedBroker, changes: Partial<RigConfig> = {}): { board: BoardProfile; config: RigConfig } {
  const raw = JSON.parse(readFileSync(new URL(`../../../rigs/${name}.json`, import.meta.url), "utf8"));
  Object.assign(raw, changes);
  raw.broker = { ...raw.broker, host: "127.0.0.1", port: broker.port };
  const board = loadBoardProfile(raw.board);
  return { board, config: validateRigConfig(raw, board, `rig ${name} for the web tests`) };
}

/** Polls `done` every 50 ms until it holds; throws naming `what` after `timeout_ms`. */
export async function until(what: string, done: () => boolean | Promise<boolean>, timeout_ms = 30_000): Promise<void> {
  const deadline = Date.now() + timeout_ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout_ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
