import mqtt from "mqtt";
import { loginOptions, type BrokerLogin } from "../broker/login.ts";
import { decodeMessage } from "../../protocol/decode/message.ts";
import type { Birth } from "../../protocol/schema/birth.ts";
import { parseTopic } from "../../protocol/schema/topics.ts";
import { topic } from "../../protocol/wire/topics.ts";

export interface BirthWatchOptions {
  /** e.g. `mqtt://127.0.0.1:1883`. */
  brokerUrl: string;
  rig: string;
  /** The board id to wait for; any board of the rig when not known (it defaults to the board's serial). */
  board?: string;
  /** Only a birth from firmware of this build hash counts. */
  build: string;
  /** The host's account and CA on a broker that asks for them. */
  login?: BrokerLogin;
}

export interface BirthWatch {
  /** The first birth published after the watch started; rejects after `timeout_s` with what to check. */
  next(timeout_s: number): Promise<Birth>;
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_ms = 10_000;

/**
 * Subscribes to a rig's birth topic before the board is reset, so its first birth is not missed.
 * Retained births from before are ignored (MQTT 3.1.1 marks retained copies only when they are
 * delivered at subscription), as is a birth from other firmware.
 */
export async function watchBirths(options: BirthWatchOptions): Promise<BirthWatch> {
  const filter = topic(options.rig, options.board ?? "+", "birth");
  const client = mqtt.connect(options.brokerUrl, { protocolVersion: 4, reconnectPeriod: 1000, connectTimeout: CONNECT_TIMEOUT_ms, clean: true, ...loginOptions(options.login) });
  let lastConnectionError = "";
  client.on("error", (err) => (lastConnectionError = err.message));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the MQTT broker at ${options.brokerUrl} did not answer within ${CONNECT_TIMEOUT_ms / 1000} s${lastConnectionError ? ` (${lastConnectionError})` : ""}; check that it runs and the URL (--broker)`)), CONNECT_TIMEOUT_ms);
      client.once("connect", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    await client.subscribeAsync(filter, { qos: 1 });
  } catch (err) {
    await client.endAsync(true);
    throw err;
  }

  const births: Birth[] = [];
  const rejected: string[] = [];
  let wake: (() => void) | undefined;
  client.on("message", (name, payload, packet) => {
    if (packet.retain) return;
    const parsed = parseTopic(name);
    const decoded = decodeMessage("birth", payload, parsed.ok ? { topic: parsed } : {});
    if (!decoded.ok) {
      rejected.push(`${name}: ${decoded.error.message}`);
      return;
    }
    if (decoded.message.fw.build !== options.build) {
      rejected.push(`${name}: firmware build ${decoded.message.fw.build}, not the ${options.build} just flashed`);
      return;
    }
    births.push(decoded.message);
    wake?.();
  });

  return {
    async next(timeout_s) {
      const deadline_ms = Date.now() + timeout_s * 1000;
      while (births.length === 0) {
        const left_ms = deadline_ms - Date.now();
        if (left_ms <= 0) {
          const seen = rejected.length > 0 ? ` Births seen but not counted: ${rejected.slice(-3).join("; ")}.` : "";
          throw new Error(
            `no birth on ${filter} at ${options.brokerUrl} within ${timeout_s} s.${seen} Check that the board reaches the broker ` +
              `(its network, and the broker host and port in the rig configuration), and what the board prints (--verbose).`,
          );
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left_ms);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
      return births.shift()!;
    },
    close: () => client.endAsync(true),
  };
}
