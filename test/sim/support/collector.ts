import mqtt, { type MqttClient } from "mqtt";
import { decodeMessage, type Messages } from "../../../protocol/decode/message.ts";

export interface Received {
  board: string;
  kind: string;
  message: unknown;
}

/** Subscribes to every cellrig topic on a broker and keeps each message decoded, in arrival order. */
export class Collector {
  readonly messages: Received[] = [];
  private constructor(private readonly client: MqttClient) {}

  static async start(url: string): Promise<Collector> {
    const client = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: `collector-${process.pid}-${Math.random().toString(16).slice(2)}` });
    const collector = new Collector(client);
    client.on("message", (topic, payload) => {
      const [, , , board, kind] = topic.split("/");
      if (board === undefined || kind === undefined || kind === "cmd") return;
      const decoded = decodeMessage(kind as keyof Messages, new Uint8Array(payload));
      if (!decoded.ok) throw new Error(`${topic}: ${JSON.stringify(decoded.error)}`);
      collector.messages.push({ board, kind, message: decoded.message });
    });
    await client.subscribeAsync("cellrig/v1/#", { qos: 1 });
    return collector;
  }

  of<K extends keyof Messages>(kind: K, board?: string): Messages[K][] {
    return this.messages.filter((m) => m.kind === kind && (board === undefined || m.board === board)).map((m) => m.message as Messages[K]);
  }

  /** Waits until `count` messages of a kind arrived or `limit_ms` passed. */
  async waitFor(kind: keyof Messages, count: number, limit_ms = 10_000): Promise<void> {
    const until = Date.now() + limit_ms;
    while (this.of(kind).length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  }

  async stop(): Promise<void> {
    await this.client.endAsync();
  }
}
