// The client's timing behaviour on virtual time: keep-alive, retries, reconnect backoff, the
// publishes awaiting PUBACK, and the session after reconnects.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { IPublishPacket, ISubscribePacket, Packet } from "mqtt-packet";
import { MqttClient, type MqttClientOptions } from "../../firmware/transport/mqtt/client.ts";
import { Backoff, xorshift32 } from "../../firmware/transport/mqtt/backoff.ts";
import { installEspruinoGlobals } from "./helpers/espruino-globals.ts";
import { ScriptedNet, type ScriptedSocket } from "./helpers/scripted-net.ts";
import { generate } from "./helpers/mqtt-packet-io.ts";
import { recordReports } from "./helpers/mqtt-client-scenarios.ts";

beforeAll(installEspruinoGlobals);
beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

const BROKER = "MQTT broker 10.0.0.2:1883";
const DATA = "cellrig/v1/rigA/board7/data";
const CMD = "cellrig/v1/rigA/board7/cmd";

function setup(overrides: Partial<MqttClientOptions> = {}) {
  const net = new ScriptedNet();
  const client = new MqttClient({
    host: "10.0.0.2",
    port: 1883,
    clientId: "cellrig-rigA-board7",
    keepAlive_s: 60,
    will: { topic: "cellrig/v1/rigA/board7/death", payload: new Uint8Array([0xa0]), qos: 1, retain: true },
    net,
    now_s: () => Date.now() / 1000,
    random: () => 0,
    ...overrides,
  });
  return { client, net, ...recordReports(client) };
}

/** Opens the latest socket and answers its CONNECT. */
function accept(socket: ScriptedSocket, sessionPresent = false): void {
  socket.open();
  expect(socket.packets()[0].cmd).toBe("connect");
  socket.receive({ cmd: "connack", sessionPresent, returnCode: 0 });
}

function publishes(socket: ScriptedSocket): IPublishPacket[] {
  return socket.packets().filter((p): p is IPublishPacket => p.cmd === "publish");
}

function commands(socket: ScriptedSocket): string[] {
  return socket.packets().map((p: Packet) => p.cmd);
}

const payload = (n: number) => new Uint8Array([n, n + 1, n + 2]);

describe("keep-alive", () => {
  it("pings after half the keep-alive idle and drops the link when no PINGRESP comes within the keep-alive", () => {
    const t = setup({ keepAlive_s: 10 });
    t.client.connect();
    const socket = t.net.last;
    accept(socket);
    vi.advanceTimersByTime(4900);
    expect(commands(socket)).toEqual(["connect"]);
    vi.advanceTimersByTime(200);
    expect(commands(socket)).toEqual(["connect", "pingreq"]);
    socket.receive({ cmd: "pingresp" });
    vi.advanceTimersByTime(5000);
    expect(commands(socket)).toEqual(["connect", "pingreq", "pingreq"]);
    vi.advanceTimersByTime(9400);
    expect(socket.ended).toBe(false);
    vi.advanceTimersByTime(600);
    expect(socket.ended).toBe(true);
    expect(t.errors).toEqual([
      BROKER + " did not answer PINGREQ within 10 s; dropping the connection (check the network link to the broker)",
    ]);
    expect(t.states).toEqual(["connected", "disconnected"]);
    vi.advanceTimersByTime(500);
    expect(t.net.sockets.length).toBe(2);
  });

  it("does not ping while packets are going out", () => {
    const t = setup({ keepAlive_s: 10 });
    t.client.connect();
    const socket = t.net.last;
    accept(socket);
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(4000);
      t.client.publish(DATA, payload(i), 0, false);
    }
    expect(commands(socket).filter((c) => c === "pingreq")).toEqual([]);
  });
});

describe("reconnect backoff", () => {
  it("waits 1 s doubling to 60 s, jittered between half and all of each step, and starts over after a connection", () => {
    const t = setup({ random: () => 0.5 });
    t.client.connect();
    const expected_s = [0.75, 1.5, 3, 6, 12, 24, 45, 45];
    for (const delay_s of expected_s) {
      const count = t.net.sockets.length;
      t.net.last.fail("connect ECONNREFUSED 10.0.0.2:1883");
      vi.advanceTimersByTime(delay_s * 1000 - 1);
      expect(t.net.sockets.length).toBe(count);
      vi.advanceTimersByTime(1);
      expect(t.net.sockets.length).toBe(count + 1);
    }
    expect(t.errors[0]).toBe(
      BROKER + ": connection error (connect ECONNREFUSED 10.0.0.2:1883); check that the broker runs, " +
        "the host and port are right and the board's network is up",
    );
    expect(t.states).toEqual([]);
    accept(t.net.last);
    t.net.last.close();
    expect(t.errors[t.errors.length - 1]).toBe(BROKER + " closed the connection (check the broker's log)");
    vi.advanceTimersByTime(750);
    expect(t.net.sockets.length).toBe(expected_s.length + 2);
    expect(t.states).toEqual(["connected", "disconnected"]);
  });

  it("draws jitter from xorshift32 within half to all of each step", () => {
    const backoff = new Backoff(xorshift32(12345));
    let step_s = 1;
    for (let i = 0; i < 12; i++) {
      const delay_s = backoff.next_s();
      expect(delay_s).toBeGreaterThanOrEqual(step_s / 2);
      expect(delay_s).toBeLessThan(step_s);
      step_s = Math.min(step_s * 2, 60);
    }
    const a = xorshift32(1);
    const b = xorshift32(1);
    const draws = Array.from({ length: 1000 }, () => a());
    expect(draws).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });

  it("drops a connection whose CONNACK does not come within the ack timeout", () => {
    const t = setup({ ackTimeout_s: 5 });
    t.client.connect();
    t.net.last.open();
    vi.advanceTimersByTime(5000);
    expect(t.net.last.ended).toBe(true);
    expect(t.errors).toEqual([
      BROKER + " did not answer CONNECT within 5 s; check that this port is an MQTT 3.1.1 broker (not TLS or WebSocket)",
    ]);
  });

  it("treats a refused CONNACK as a failed attempt", () => {
    const t = setup();
    t.client.connect();
    t.net.last.open();
    t.net.last.receive({ cmd: "connack", sessionPresent: false, returnCode: 2 });
    expect(t.net.last.ended).toBe(true);
    expect(t.errors[0]).toMatch(/^MQTT broker 10\.0\.0\.2:1883 refused the connection: identifier rejected \(check the client id/);
    vi.advanceTimersByTime(500);
    expect(t.net.sockets.length).toBe(2);
  });

  it("stops for good after disconnect()", () => {
    const t = setup();
    t.client.connect();
    accept(t.net.last);
    t.client.disconnect();
    expect(commands(t.net.last)).toEqual(["connect", "disconnect"]);
    vi.advanceTimersByTime(600_000);
    expect(t.net.sockets.length).toBe(1);
  });
});

describe("QoS 1 publishing", () => {
  it("sends a QoS 1 publish once however long its PUBACK takes, then reports the ack once", () => {
    const t = setup({ ackTimeout_s: 10 });
    t.client.connect();
    const socket = t.net.last;
    accept(socket);
    const id = t.client.publish(DATA, payload(1), 1, false);
    expect(t.client.inFlight()).toBe(1);
    // well past the ack timeout, within the keep-alive
    vi.advanceTimersByTime(25_000);
    expect(publishes(socket).map((p) => [p.messageId, p.dup])).toEqual([[id, false]]);
    socket.receive({ cmd: "puback", messageId: id });
    socket.receive({ cmd: "puback", messageId: id });
    expect(t.acks).toEqual([id]);
    expect(t.client.inFlight()).toBe(0);
  });

  it("returns -1 when the window is full and takes publishes again after an ack", () => {
    const t = setup();
    t.client.connect();
    const socket = t.net.last;
    accept(socket);
    const ids = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => t.client.publish(DATA, payload(n), 1, false));
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(t.client.publish(DATA, payload(9), 1, false)).toBe(-1);
    socket.receive({ cmd: "puback", messageId: 3 });
    expect(t.acks).toEqual([3]);
    expect(t.client.publish(DATA, payload(9), 1, false)).toBe(9);
    expect(publishes(socket).length).toBe(9);
  });

  it("refuses a topic with a wildcard before taking the publish", () => {
    const t = setup();
    expect(() => t.client.publish("cellrig/v1/+/board7/data", payload(1), 1, false)).toThrow(/has a wildcard/);
    expect(t.client.inFlight()).toBe(0);
  });

  it("sends QoS 0 only while connected, and says so", () => {
    const t = setup();
    expect(t.client.publish(DATA, payload(1), 0, false)).toBe(-1);
    t.client.connect();
    accept(t.net.last);
    expect(t.client.publish(DATA, payload(1), 0, true)).toBe(0);
    expect(publishes(t.net.last)[0]).toMatchObject({ qos: 0, retain: true });
  });

  it("forgets what was unacknowledged when the link drops, takes nothing while down, and re-sends nothing after the reconnect", () => {
    const t = setup();
    t.client.connect();
    const first = t.net.last;
    accept(first);
    const a = t.client.publish(DATA, payload(10), 1, false);
    t.client.publish(DATA, payload(20), 1, true);
    first.close();
    expect(t.client.inFlight()).toBe(0);
    expect(t.client.publish(DATA, payload(30), 1, false)).toBe(-1);
    vi.advanceTimersByTime(500);
    const second = t.net.last;
    expect(second).not.toBe(first);
    accept(second, true);
    expect(publishes(second)).toEqual([]);
    second.receive({ cmd: "puback", messageId: a });
    expect(t.acks).toEqual([]);
    const c = t.client.publish(DATA, payload(30), 1, false);
    expect(publishes(second).map((p) => [p.messageId, p.dup, Array.from(p.payload as Buffer)])).toEqual([[c, false, [30, 31, 32]]]);
    expect(t.states).toEqual(["connected", "disconnected", "connected"]);
  });
});

describe("subscriptions and incoming messages", () => {
  it("subscribes on every connect the broker has no session for, and reports a refused subscription", () => {
    const t = setup();
    t.client.subscribe(CMD, 1);
    t.client.connect();
    accept(t.net.last, false);
    const sub = t.net.last.packets().find((p): p is ISubscribePacket => p.cmd === "subscribe");
    expect(sub?.subscriptions).toEqual([{ topic: CMD, qos: 1 }]);
    t.net.last.close();
    vi.advanceTimersByTime(500);
    accept(t.net.last, true);
    expect(commands(t.net.last)).toEqual(["connect"]);
    t.net.last.close();
    vi.advanceTimersByTime(1000);
    accept(t.net.last, false);
    const again = t.net.last.packets().find((p): p is ISubscribePacket => p.cmd === "subscribe");
    expect(again?.subscriptions).toEqual([{ topic: CMD, qos: 1 }]);
    t.net.last.receive({ cmd: "suback", messageId: again?.messageId as number, granted: [0x80] });
    expect(t.errors[t.errors.length - 1]).toBe(
      BROKER + ' refused the subscription to "' + CMD + '" (check the broker\'s access rules for client id "cellrig-rigA-board7")',
    );
  });

  it("delivers commands, acknowledges QoS 1 even when the handler throws", () => {
    const t = setup();
    t.client.connect();
    const socket = t.net.last;
    accept(socket);
    t.client.onMessage(() => {
      throw new Error("unknown command");
    });
    socket.receive({ cmd: "publish", topic: CMD, payload: Buffer.from([1, 2]), qos: 1, messageId: 41, retain: false, dup: false });
    expect(socket.packets().filter((p) => p.cmd === "puback")).toMatchObject([{ messageId: 41 }]);
    expect(t.errors).toEqual(['handling the message on "' + CMD + '" failed: unknown command']);
  });

  it("reports a failing onAck or onState handler as the handler's failure and keeps the link", () => {
    const t = setup();
    t.client.onState(() => {
      throw new Error("birth too large");
    });
    t.client.onAck(() => {
      throw new Error("outbox empty");
    });
    t.client.connect();
    const socket = t.net.last;
    accept(socket);
    const id = t.client.publish(DATA, payload(1), 1, false);
    socket.receive({ cmd: "puback", messageId: id });
    expect(t.errors).toEqual([
      'the onState handler failed on "connected": birth too large',
      "the onAck handler failed for packet " + id + ": outbox empty",
    ]);
    expect(socket.ended).toBe(false);
    expect(t.client.inFlight()).toBe(0);
  });

  it("hands the handler its own copy of the payload", () => {
    const t = setup();
    t.client.connect();
    const socket = t.net.last;
    accept(socket);
    socket.receive(
      Buffer.concat([
        generate({ cmd: "publish", topic: CMD, payload: Buffer.from([7, 8, 9]), qos: 0, retain: false, dup: false }),
        generate({ cmd: "publish", topic: CMD, payload: Buffer.from([1, 1, 1]), qos: 0, retain: false, dup: false }),
      ]),
    );
    expect(t.messages).toEqual([
      { topic: CMD, payload: [7, 8, 9] },
      { topic: CMD, payload: [1, 1, 1] },
    ]);
  });

  it("discards a command larger than the receive buffer but acknowledges it so the broker does not repeat it", () => {
    const t = setup({ rxCapacity_B: 64 });
    t.client.connect();
    const socket = t.net.last;
    accept(socket);
    socket.receive({ cmd: "publish", topic: CMD, payload: Buffer.alloc(200, 3), qos: 1, messageId: 5, retain: false, dup: false });
    expect(t.messages).toEqual([]);
    expect(socket.packets().filter((p) => p.cmd === "puback")).toMatchObject([{ messageId: 5 }]);
    expect(t.errors).toEqual([
      BROKER + " sent a PUBLISH of 233 bytes, more than the 64-byte receive buffer; it was discarded " +
        "(send smaller commands or raise rxCapacity_B)",
    ]);
  });

  it("drops the link on a malformed packet and reconnects", () => {
    const t = setup();
    t.client.connect();
    const socket = t.net.last;
    accept(socket);
    socket.receive(Buffer.from([0x20, 0xff, 0xff, 0xff, 0xff, 0x01]));
    expect(socket.ended).toBe(true);
    expect(t.errors).toEqual([
      BROKER + " sent a malformed packet (remaining length runs past 4 bytes); check that this port speaks " +
        "MQTT 3.1.1 over plain TCP (not TLS or WebSocket)",
    ]);
    vi.advanceTimersByTime(500);
    expect(t.net.sockets.length).toBe(2);
  });
});
