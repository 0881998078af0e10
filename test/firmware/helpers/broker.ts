// An in-process aedes broker on 127.0.0.1 for client tests, and an mqtt.js client as the host.
import net from "node:net";
import { Aedes, type AedesOptions, type AuthenticateError } from "aedes";
import { connectAsync, type MqttClient as HostClient } from "mqtt";

export interface TestBroker {
  aedes: Aedes;
  port: number;
  /** Cuts every connection (no DISCONNECT, as a crashing broker would) and stops listening. */
  stop(): Promise<void>;
}

/** Starts a broker; port 0 picks a free one. Credentials, when given, are the only ones accepted. */
export async function startBroker(
  port: number,
  credentials?: { username: string; password: string },
  options: AedesOptions = {},
): Promise<TestBroker> {
  const aedes = await Aedes.createBroker(options);
  if (credentials) {
    aedes.authenticate = (_client, username, password, done) => {
      if (username === credentials.username && password?.toString() === credentials.password) done(null, true);
      else done(Object.assign(new Error("bad user name or password"), { returnCode: 4 }) as AuthenticateError, false);
    };
  }
  const connections = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections.add(socket);
    socket.on("close", () => connections.delete(socket));
    aedes.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    aedes,
    port: (server.address() as net.AddressInfo).port,
    async stop() {
      for (const socket of connections) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}

/** An mqtt.js client (the host side) subscribed to `topics`, collecting what arrives. */
export async function hostSubscriber(
  port: number,
  topics: string[],
  credentials?: { username: string; password: string },
): Promise<{ client: HostClient; messages: { topic: string; payload: Buffer; retain: boolean }[] }> {
  const client = await connectAsync({ host: "127.0.0.1", port, protocolVersion: 4, reconnectPeriod: 0, ...credentials });
  const messages: { topic: string; payload: Buffer; retain: boolean }[] = [];
  client.on("message", (topic, payload, packet) => messages.push({ topic, payload, retain: packet.retain }));
  if (topics.length > 0) await client.subscribeAsync(topics, { qos: 1 });
  return { client, messages };
}

/** Polls until `condition` holds; fails with `what` after `timeout_ms`. */
export async function waitFor(what: string, condition: () => boolean, timeout_ms = 10_000): Promise<void> {
  const deadline = Date.now() + timeout_ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for " + what);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
