import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { startEmbeddedBroker } from "../../host/broker/embedded.ts";
import { freePort, mosquittoMissing, stopChild } from "../services/local.ts";

/**
 * The soak's broker, which a fault stops and starts again on the same port. Two kinds:
 *
 * - `mosquitto`: Mosquitto with persistence on, as a lab runs it: a stop (SIGTERM) writes the
 *   sessions, their subscriptions and the messages queued for them to disk, and the next start reads
 *   them back, so the bridge's session outlives the restart.
 * - `embedded`: the in-process aedes broker of `cellrig start`, whose sessions live in memory: a
 *   restart forgets the bridge's subscription and whatever was queued for it.
 */

export type BrokerKind = "mosquitto" | "embedded";

export interface RestartableBroker {
  url: string;
  port: number;
  /** Bridge MQTT version: the embedded broker speaks 3.1.1 only. */
  mqttVersion: 4 | 5;
  stop(): Promise<void>;
  start(): Promise<void>;
}

const MOSQUITTO_BIN = "/usr/sbin/mosquitto";
const START_LIMIT_ms = 10_000;

export async function startRestartableBroker(kind: BrokerKind, dir: string): Promise<RestartableBroker> {
  if (kind === "embedded") {
    let broker: Awaited<ReturnType<typeof startEmbeddedBroker>> | undefined = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    const port = broker.port;
    return {
      url: broker.url,
      port,
      mqttVersion: 4,
      async stop() {
        await broker?.close();
        broker = undefined;
      },
      async start() {
        broker ??= await startEmbeddedBroker({ host: "127.0.0.1", port });
      },
    };
  }
  const missing = mosquittoMissing();
  if (missing !== undefined) throw new Error(`the soak's broker: ${missing}`);
  const port = await freePort();
  const store = join(dir, "mosquitto");
  mkdirSync(store, { recursive: true });
  const conf = join(store, "mosquitto.conf");
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      "allow_anonymous true",
      "persistence true",
      `persistence_location ${store}/`,
      // Keep every message queued for the stopped bridge, and a window as large as the bridge's.
      "max_queued_messages 0",
      "max_inflight_messages 1000",
      "set_tcp_nodelay true",
      // Run as root, Mosquitto would switch to its own user, who may not write the persistence folder.
      `user ${userInfo().username}`,
      "log_dest stderr",
      "log_type error",
      "log_type warning",
      "log_type information",
      "",
    ].join("\n"),
  );
  let child: ReturnType<typeof spawn> | undefined;
  const start = async () => {
    if (child !== undefined) return;
    const started = spawn(MOSQUITTO_BIN, ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
    child = started;
    let stderr = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`mosquitto did not listen on port ${port} within ${START_LIMIT_ms / 1000} s:\n${stderr}`)), START_LIMIT_ms);
      started.stderr!.on("data", (chunk) => {
        stderr += String(chunk);
        if (/mosquitto version \S+ running/.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
      started.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`mosquitto exited (${code}) before it listened:\n${stderr}`));
      });
    });
  };
  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    mqttVersion: 5,
    async stop() {
      if (child === undefined) return;
      await stopChild(child, "SIGTERM");
      child = undefined;
    },
    start,
  };
}
