// Behaviours of the board's MQTT client against a real broker, written against the client's
// public interface so the same scenarios can drive another build of it (e.g. the bundle in the
// simulator) through a factory.
import { expect } from "vitest";
import type { IPublishPacket, Packet } from "mqtt-packet";
import type { LinkState, MqttClientOptions } from "../../../firmware/transport/mqtt/client.ts";
import { EspruinoNet } from "./espruino-net.ts";
import { hostSubscriber, startBroker, waitFor } from "./broker.ts";
import { parsePackets } from "./mqtt-packet-io.ts";

export interface BoardClient {
  connect(): void;
  publish(topic: string, payload: Uint8Array, qos: 0 | 1, retain: boolean): number;
  subscribe(filter: string, qos: 0 | 1): void;
  onMessage(fn: (topic: string, payload: Uint8Array) => void): void;
  onAck(fn: (packetId: number) => void): void;
  onState(fn: (state: LinkState) => void): void;
  onError(fn: (message: string) => void): void;
  disconnect(): void;
}

export type ClientFactory = (options: MqttClientOptions) => BoardClient;

/** Collects everything a client reports: link states, errors, acknowledged packet ids, incoming messages. */
export function recordReports(client: BoardClient) {
  const states: LinkState[] = [];
  const errors: string[] = [];
  const acks: number[] = [];
  const messages: { topic: string; payload: number[] }[] = [];
  client.onState((s) => states.push(s));
  client.onError((m) => errors.push(m));
  client.onAck((id) => acks.push(id));
  client.onMessage((topic, payload) => messages.push({ topic, payload: Array.from(payload) }));
  return { states, errors, acks, messages };
}

const CREDENTIALS = { username: "board7", password: "s3cret" };
const TOPIC = "cellrig/v1/rigA/board7/";
/** The death message {b: 0x12345678, v: 1} in CBOR. */
const DEATH = new Uint8Array([0xa2, 0x61, 0x62, 0x1a, 0x12, 0x34, 0x56, 0x78, 0x61, 0x76, 0x01]);
/** Every byte value, so a latin1 or UTF-8 slip anywhere on the way shows. */
const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);

/** A client wired to an Espruino-style `net` over node:net, recording everything it reports. */
function board(make: ClientFactory, port: number, overrides: Partial<MqttClientOptions> = {}) {
  const net = new EspruinoNet();
  const client = make({
    host: "127.0.0.1",
    port,
    clientId: "cellrig-rigA-board7",
    ...CREDENTIALS,
    keepAlive_s: 30,
    will: { topic: TOPIC + "death", payload: DEATH, qos: 1, retain: true },
    net,
    now_s: () => Date.now() / 1000,
    random: () => 0,
    ...overrides,
  });
  return { client, net, ...recordReports(client) };
}

function sentPackets(net: EspruinoNet, socket: number): Packet[] {
  return parsePackets(net.writtenOn(socket));
}

export async function qos1PublishIsAcknowledgedAndDelivered(make: ClientFactory): Promise<void> {
  const broker = await startBroker(0, CREDENTIALS);
  const host = await hostSubscriber(broker.port, [TOPIC + "data", TOPIC + "health"], CREDENTIALS);
  const b = board(make, broker.port);
  try {
    b.client.connect();
    await waitFor("the board to connect", () => b.states.includes("connected"));
    const id = b.client.publish(TOPIC + "data", ALL_BYTES, 1, false);
    expect(id).toBeGreaterThan(0);
    expect(b.client.publish(TOPIC + "health", new Uint8Array([0xa0]), 0, false)).toBe(0);
    await waitFor("the PUBACK", () => b.acks.includes(id));
    await waitFor("both messages at the host", () => host.messages.length === 2);
    const data = host.messages.find((m) => m.topic === TOPIC + "data");
    expect(Array.from(data?.payload ?? [])).toEqual(Array.from(ALL_BYTES));
    const connect = sentPackets(b.net, 0)[0];
    expect(connect).toMatchObject({ cmd: "connect", clean: false, keepalive: 30, username: "board7", clientId: "cellrig-rigA-board7" });
    expect(b.errors).toEqual([]);
  } finally {
    b.client.disconnect();
    await host.client.endAsync();
    await broker.stop();
  }
}

export async function badCredentialsAreNamed(make: ClientFactory): Promise<void> {
  const broker = await startBroker(0, CREDENTIALS);
  const b = board(make, broker.port, { password: "wrong" });
  try {
    b.client.connect();
    await waitFor("the refusal", () => b.errors.length > 0);
    expect(b.errors[0]).toBe(
      "MQTT broker 127.0.0.1:" + broker.port + " refused the connection: bad user name or password " +
        "(check the board's MQTT username and password)",
    );
    expect(b.states).toEqual([]);
  } finally {
    b.client.disconnect();
    await broker.stop();
  }
}

export async function subscriptionDeliversCommands(make: ClientFactory): Promise<void> {
  const broker = await startBroker(0, CREDENTIALS);
  const b = board(make, broker.port);
  const subscribed: string[] = [];
  broker.aedes.on("subscribe", (subs) => subs.forEach((s) => subscribed.push(s.topic)));
  const host = await hostSubscriber(broker.port, [], CREDENTIALS);
  try {
    b.client.subscribe(TOPIC + "cmd", 1);
    b.client.connect();
    await waitFor("the board's subscription", () => subscribed.includes(TOPIC + "cmd"));
    const command = new Uint8Array([0xa2, 0x62, 0x69, 0x64, 0x07, 0x61, 0x6b, 0x64, 0x70, 0x69, 0x6e, 0x67]);
    await host.client.publishAsync(TOPIC + "cmd", Buffer.from(command), { qos: 1 });
    await waitFor("the command at the board", () => b.messages.length === 1);
    expect(b.messages[0]).toEqual({ topic: TOPIC + "cmd", payload: Array.from(command) });
    await waitFor("the board's PUBACK", () => sentPackets(b.net, 0).some((p) => p.cmd === "puback"));
  } finally {
    b.client.disconnect();
    await host.client.endAsync();
    await broker.stop();
  }
}

export async function killedLinkPublishesTheWill(make: ClientFactory): Promise<void> {
  const broker = await startBroker(0, CREDENTIALS);
  const host = await hostSubscriber(broker.port, [TOPIC + "death"], CREDENTIALS);
  const b = board(make, broker.port);
  try {
    b.client.connect();
    await waitFor("the board to connect", () => b.states.includes("connected"));
    expect(host.messages).toEqual([]);
    b.net.kill();
    await waitFor("the will", () => host.messages.length === 1);
    expect(host.messages[0].topic).toBe(TOPIC + "death");
    expect(Array.from(host.messages[0].payload)).toEqual(Array.from(DEATH));
    await waitFor("the board to notice", () => b.states.includes("disconnected"));
  } finally {
    b.client.disconnect();
    await host.client.endAsync();
    await broker.stop();
  }
}

export async function cleanDisconnectKeepsTheWill(make: ClientFactory): Promise<void> {
  const broker = await startBroker(0, CREDENTIALS);
  const host = await hostSubscriber(broker.port, [TOPIC + "death"], CREDENTIALS);
  const gone: string[] = [];
  broker.aedes.on("clientDisconnect", (c) => gone.push(c.id));
  const b = board(make, broker.port);
  try {
    b.client.connect();
    await waitFor("the board to connect", () => b.states.includes("connected"));
    b.client.disconnect();
    await waitFor("the broker to see the board leave", () => gone.includes("cellrig-rigA-board7"));
    expect(sentPackets(b.net, 0).map((p) => p.cmd)).toEqual(["connect", "disconnect"]);
    expect(b.states).toEqual(["connected", "disconnected"]);
    expect(host.messages).toEqual([]);
  } finally {
    await host.client.endAsync();
    await broker.stop();
  }
}

/**
 * The first broker takes the publish but never acknowledges it and then dies; the client forgets
 * the publish with the link (no ack is ever reported for it), reconnects to the replacement on the
 * same port, and the caller's second publish of the same data reaches the host and is acknowledged.
 */
export async function unacknowledgedPublishSurvivesBrokerRestart(make: ClientFactory): Promise<void> {
  const swallowing = await startBroker(0, CREDENTIALS, { authorizePublish: () => undefined });
  const port = swallowing.port;
  const b = board(make, port);
  let restarted: Awaited<ReturnType<typeof startBroker>> | undefined;
  let host: Awaited<ReturnType<typeof hostSubscriber>> | undefined;
  try {
    b.client.connect();
    await waitFor("the board to connect", () => b.states.includes("connected"));
    const id = b.client.publish(TOPIC + "data", ALL_BYTES, 1, false);
    await waitFor("the publish on the wire", () => sentPackets(b.net, 0).some((p) => p.cmd === "publish"));
    await swallowing.stop();
    await waitFor("the board to notice", () => b.states.includes("disconnected"));
    expect(b.acks).toEqual([]);
    expect(b.client.publish(TOPIC + "data", ALL_BYTES, 1, false)).toBe(-1);
    restarted = await startBroker(port, CREDENTIALS);
    host = await hostSubscriber(port, [TOPIC + "data"], CREDENTIALS);
    await waitFor("the board to reconnect", () => b.states.filter((s) => s === "connected").length === 2, 15_000);
    const again = b.client.publish(TOPIC + "data", ALL_BYTES, 1, false);
    expect(again).toBeGreaterThan(0);
    await waitFor("the second publish to be acknowledged", () => b.acks.includes(again), 15_000);
    await waitFor("the data at the host", () => host?.messages.length === 1);
    expect(Array.from(host.messages[0].payload)).toEqual(Array.from(ALL_BYTES));
    expect(b.acks).toEqual([again]);
    expect(b.acks).not.toContain(id);
    const last = b.net.sockets.length - 1;
    const resent = sentPackets(b.net, last).filter((p) => p.cmd === "publish") as IPublishPacket[];
    expect(resent).toHaveLength(1);
    expect(resent[0]).toMatchObject({ dup: false, qos: 1, messageId: again, topic: TOPIC + "data" });
    expect(b.errors.some((e) => e.startsWith("MQTT broker 127.0.0.1:" + port + " closed the connection"))).toBe(true);
  } finally {
    b.client.disconnect();
    await host?.client.endAsync();
    await restarted?.stop();
  }
}
