import mqtt, { type IClientOptions, type MqttClient } from "mqtt";

/** Connects, or rejects with the broker's refusal (CONNACK code) or the socket's error. */
export async function connect(url: string, options: IClientOptions): Promise<MqttClient> {
  const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, protocolVersion: 4, ...options });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("error", reject);
      client.once("close", () => reject(new Error("connection closed before CONNACK")));
    });
  } catch (err) {
    client.end(true);
    throw err;
  }
  return client;
}

/** Every message a client receives, by topic, in order. */
export function record(client: MqttClient): string[] {
  const seen: string[] = [];
  client.on("message", (topic, payload) => seen.push(`${topic} ${payload.toString()}`));
  return seen;
}

/**
 * Publishes at QoS 1 and settles however the broker answers: PUBACK (Mosquitto acknowledges a
 * refused publish and drops it) or a dropped connection (aedes closes it).
 */
export async function publishSettled(client: MqttClient, topic: string, payload: string): Promise<void> {
  await new Promise<void>((resolve) => {
    client.once("close", () => resolve());
    client.publish(topic, payload, { qos: 1 }, () => resolve());
  });
}

/**
 * The host publishes to a topic it listens on and waits for it: once it is back, the broker has
 * handled everything sent to it before (a refused message is then known not to be coming).
 */
export async function barrier(host: MqttClient, seen: string[], n: number): Promise<void> {
  const marker = `cellrig/v1/barrier/host/birth`;
  await host.publishAsync(marker, String(n), { qos: 1 });
  const deadline = Date.now() + 5000;
  while (!seen.includes(`${marker} ${n}`)) {
    if (Date.now() > deadline) throw new Error("the host's own message did not come back");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
