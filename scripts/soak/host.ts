import { appendFileSync } from "node:fs";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { decodeMessage } from "../../protocol/decode/message.ts";
import type { Gap } from "../../protocol/schema/gap.ts";
import { parseTopic } from "../../protocol/schema/topics.ts";
import type { HostFaults } from "../../sim/faults.ts";
import { startBridgeProcess, type BridgeProcess } from "../fixtures/bridge-process.ts";
import { startRestartableBroker, type BrokerKind } from "./broker.ts";

/**
 * The host side of a soak: the broker (broker.ts), the bridge as its own process (so that a kill is a
 * real SIGKILL: nothing committed or acknowledged on the way out) storing into one DuckDB file, and
 * a listener that keeps every gap message the boards send. Faults arrive as calls from the virtual
 * clock and are carried out one after another in wall time.
 */

export interface GapReport {
  board: string;
  gap: Gap;
}

export interface SoakHost extends HostFaults {
  /** Gap messages received, each once. */
  gaps(): GapReport[];
  /** Waits for the faults still being carried out, then until the bridge has taken everything the broker holds. */
  settle(): Promise<void>;
  /** Stops the bridge cleanly (commit, acknowledge), the listener and the broker. */
  close(): Promise<void>;
  /** Bridge counters as its API reports them, or undefined while it is down. */
  bridgeStats(): Promise<{ received: number; rejected: Record<string, number>; faults: Record<string, unknown> } | undefined>;
  brokerPort: number;
  restarts: { broker: number; bridge: number };
}

/** The bridge's store, in the soak's folder. */
export const DATABASE = "soak.duckdb";
const BRIDGE_CLIENT = "soak-bridge";
const GAP_CLIENT = "soak-gaps";
/** The output of every bridge process of the run, in the soak's folder. */
export const BRIDGE_LOG = "bridge.log";
/** The bridge has taken everything when its received count stays put this long. */
const SETTLED_ms = 2000;
const SETTLE_LIMIT_ms = 300_000;

export async function startSoakHost(kind: BrokerKind, dir: string, log: (line: string) => void): Promise<SoakHost> {
  const broker = await startRestartableBroker(kind, dir);
  const url = broker.url;
  const bridgeArgs = ["--broker", url, "--mqtt", String(broker.mqttVersion), "--store", `duckdb:${join(dir, DATABASE)}`, "--client-id", BRIDGE_CLIENT];
  let bridge: BridgeProcess | undefined = await startBridgeProcess(bridgeArgs);
  // Each bridge process's output goes to one file, so a failure it reported can be read after the run.
  let bridges = 1;
  const keepOutput = (ended: BridgeProcess, how: string) => appendFileSync(join(dir, BRIDGE_LOG), `--- bridge ${bridges} (${how})\n${ended.output()}`);

  const seen = new Set<string>();
  const gaps: GapReport[] = [];
  const listener: MqttClient = await mqtt.connectAsync(url, { clientId: GAP_CLIENT, clean: false, protocolVersion: broker.mqttVersion, reconnectPeriod: 200, ...(broker.mqttVersion === 5 ? { properties: { sessionExpiryInterval: 7 * 86_400 } } : {}) });
  listener.on("message", (topicName, payload) => {
    const topic = parseTopic(topicName);
    if (!topic.ok) return;
    const decoded = decodeMessage("gap", payload);
    if (!decoded.ok) {
      log(`gap message from ${topic.board} cannot be read: ${decoded.error.message}`);
      return;
    }
    const key = `${topic.board} ${JSON.stringify(decoded.message)}`;
    if (seen.has(key)) return;
    seen.add(key);
    gaps.push({ board: topic.board, gap: decoded.message });
  });
  await listener.subscribeAsync("cellrig/v1/+/+/gap", { qos: 1 });

  // Faults are carried out in the order the clock raised them, each after the one before has finished.
  let pending: Promise<void> = Promise.resolve();
  const then = (what: string, work: () => Promise<void>) => {
    pending = pending.then(work).catch((err: unknown) => log(`${what} failed: ${err instanceof Error ? err.message : String(err)}`));
  };
  const restarts = { broker: 0, bridge: 0 };

  const bridgeStats = async () => {
    if (bridge === undefined) return undefined;
    try {
      const response = await fetch(`${bridge.http}/api/stats`);
      return (await response.json()) as { received: number; rejected: Record<string, number>; faults: Record<string, unknown> };
    } catch {
      return undefined;
    }
  };

  return {
    brokerPort: broker.port,
    restarts,
    gaps: () => gaps,
    bridgeStats,
    stopBroker() {
      then("stopping the broker", () => broker.stop());
    },
    startBroker() {
      then("starting the broker", async () => {
        await broker.start();
        restarts.broker++;
      });
    },
    killBridge() {
      then("killing the bridge", async () => {
        if (bridge === undefined) return;
        await bridge.kill();
        keepOutput(bridge, "killed");
        bridge = undefined;
      });
    },
    startBridge() {
      then("starting the bridge", async () => {
        if (bridge !== undefined) return;
        bridge = await startBridgeProcess(bridgeArgs);
        bridges++;
        restarts.bridge++;
      });
    },
    async settle() {
      await pending;
      await broker.start();
      const until_ms = Date.now() + SETTLE_LIMIT_ms;
      let last = -1;
      let since_ms = Date.now();
      while (Date.now() < until_ms) {
        // A bridge started while the broker was down gave up; one that died is started again.
        if (bridge !== undefined && bridge.child.exitCode !== null) {
          log(`the bridge had exited (${bridge.child.exitCode}):\n${bridge.output().slice(-2000)}`);
          keepOutput(bridge, `exited ${bridge.child.exitCode}`);
          bridge = undefined;
        }
        if (bridge === undefined) {
          bridge = await startBridgeProcess(bridgeArgs);
          bridges++;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
        const received = (await bridgeStats())?.received ?? -1;
        if (received !== last) {
          last = received;
          since_ms = Date.now();
        } else if (received >= 0 && Date.now() - since_ms >= SETTLED_ms) {
          const stats = await bridgeStats();
          log(`bridge settled: ${received} messages received since its last start, refused: ${JSON.stringify(stats?.rejected ?? {})}, faults: ${JSON.stringify(stats?.faults ?? {})} (every bridge's output: ${BRIDGE_LOG})`);
          return;
        }
      }
      throw new Error(`the bridge was still receiving ${SETTLE_LIMIT_ms / 1000} s after the run ended (last count ${last}):\n${bridge?.output().slice(-2000)}`);
    },
    async close() {
      await pending;
      if (bridge !== undefined) {
        await bridge.stop();
        keepOutput(bridge, "stopped");
      }
      bridge = undefined;
      await listener.endAsync();
      await broker.stop();
    },
  };
}
