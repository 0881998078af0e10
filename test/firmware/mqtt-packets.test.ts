import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import type { IConnectPacket, IPublishPacket, ISubscribePacket, Packet } from "mqtt-packet";
import { PacketWriter } from "../../firmware/transport/mqtt/packet-writer.ts";
import { writeConnect, type ConnectFields } from "../../firmware/transport/mqtt/connect.ts";
import { writePublishHeader, type PublishHeader } from "../../firmware/transport/mqtt/publish.ts";
import { writeSubscribe } from "../../firmware/transport/mqtt/subscribe.ts";
import { writeDisconnect, writePingreq, writePuback } from "../../firmware/transport/mqtt/short-packets.ts";
import { PacketParser, type PacketHandler } from "../../firmware/transport/mqtt/parser.ts";
import { PUBLISH } from "../../firmware/transport/mqtt/packet-types.ts";
import { connackRefusal } from "../../firmware/transport/mqtt/connack.ts";
import { installEspruinoGlobals, latin1 } from "./helpers/espruino-globals.ts";
import { generate, parsePacket } from "./helpers/mqtt-packet-io.ts";

beforeAll(installEspruinoGlobals);

function built(fn: (w: PacketWriter) => void, capacity_B = 256): Buffer {
  const w = new PacketWriter(capacity_B);
  fn(w);
  return Buffer.from(w.bytes());
}

function publishBytes(h: PublishHeader, payload: Uint8Array): Buffer {
  return Buffer.concat([built((w) => writePublishHeader(w, h)), payload]);
}

describe("outgoing packets", () => {
  const full: ConnectFields = {
    clientId: "cellrig-rigA-board7",
    cleanSession: false,
    keepAlive_s: 30,
    username: "board7",
    password: "s3cret",
    will: { topic: "cellrig/v1/rigA/board7/death", payload: new Uint8Array([0xa2, 0x61, 0x62, 0x05, 0x61, 0x76, 0x01]), qos: 1, retain: true },
  };

  it("CONNECT with credentials and will parses back field for field and matches mqtt-packet's bytes", () => {
    const bytes = built((w) => writeConnect(w, full));
    const p = parsePacket(bytes) as IConnectPacket;
    expect(p).toMatchObject({ cmd: "connect", protocolId: "MQTT", protocolVersion: 4, clientId: full.clientId, clean: false, keepalive: 30, username: "board7" });
    expect(p.password?.toString()).toBe("s3cret");
    expect(p.will?.topic).toBe(full.will?.topic);
    expect(Array.from(p.will?.payload as Buffer)).toEqual(Array.from(full.will?.payload as Uint8Array));
    expect(p.will).toMatchObject({ qos: 1, retain: true });
    expect(bytes).toEqual(generate(p));
  });

  it("CONNECT without will or credentials, clean session", () => {
    const bytes = built((w) => writeConnect(w, { clientId: "b", cleanSession: true, keepAlive_s: 0 }));
    const p = parsePacket(bytes) as IConnectPacket;
    expect(p).toMatchObject({ clientId: "b", clean: true, keepalive: 0 });
    expect(p.will).toBeUndefined();
    expect(p.username).toBeUndefined();
    expect(bytes).toEqual(generate(p));
  });

  it("CONNECT refuses a password without user name and a bad keep-alive", () => {
    const w = new PacketWriter(256);
    expect(() => writeConnect(w, { clientId: "b", cleanSession: false, keepAlive_s: 5, password: "x" })).toThrow(/password given without a user name/);
    expect(() => writeConnect(w, { clientId: "b", cleanSession: false, keepAlive_s: 70000 })).toThrow(/keep-alive of 70000 s/);
  });

  it("PUBLISH header and payload parse back for every QoS, retain and dup combination", () => {
    fc.assert(
      fc.property(
        fc.record({ qos: fc.constantFrom<0 | 1>(0, 1), retain: fc.boolean(), dup: fc.boolean(), packetId: fc.integer({ min: 1, max: 65535 }) }),
        fc.uint8Array({ maxLength: 300 }),
        (flags, payload) => {
          const h: PublishHeader = { topic: "cellrig/v1/rigA/board7/data", payloadLength_B: payload.length, ...flags };
          const bytes = publishBytes(h, payload);
          const p = parsePacket(bytes) as IPublishPacket;
          expect(p).toMatchObject({ cmd: "publish", topic: h.topic, qos: h.qos, retain: h.retain, dup: h.dup });
          if (h.qos === 1) expect(p.messageId).toBe(h.packetId);
          expect(Array.from(p.payload as Buffer)).toEqual(Array.from(payload));
          expect(bytes).toEqual(generate(p));
        },
      ),
    );
  });

  it.each([127, 128, 16383, 16384, 2097151, 2097152])("PUBLISH with a remaining length of %d bytes", (remaining) => {
    const topic = "t/x";
    const payload = new Uint8Array(remaining - 2 - topic.length - 2).map((_, i) => i & 0xff);
    const h: PublishHeader = { topic, payloadLength_B: payload.length, qos: 1, retain: false, dup: false, packetId: 42 };
    const header = built((w) => writePublishHeader(w, h));
    const lengthBytes = remaining < 128 ? 1 : remaining < 16384 ? 2 : remaining < 2097152 ? 3 : 4;
    expect(header.length).toBe(1 + lengthBytes + 2 + topic.length + 2);
    const bytes = Buffer.concat([header, payload]);
    const p = parsePacket(bytes) as IPublishPacket;
    expect(p.length).toBe(remaining);
    expect(Buffer.compare(p.payload as Buffer, Buffer.from(payload))).toBe(0);
    expect(bytes.equals(generate(p))).toBe(true);
  });

  it("PUBLISH refuses wildcards and empty topics", () => {
    const w = new PacketWriter(64);
    const h = { payloadLength_B: 0, qos: 0 as const, retain: false, dup: false, packetId: 0 };
    expect(() => writePublishHeader(w, { ...h, topic: "a/+/b" })).toThrow(/has a wildcard/);
    expect(() => writePublishHeader(w, { ...h, topic: "" })).toThrow(/it is empty/);
  });

  it("SUBSCRIBE, PUBACK, PINGREQ and DISCONNECT match mqtt-packet", () => {
    const subscribe = built((w) => writeSubscribe(w, 513, "cellrig/v1/rigA/board7/cmd", 1));
    const p = parsePacket(subscribe) as ISubscribePacket;
    expect(p).toMatchObject({ cmd: "subscribe", messageId: 513, subscriptions: [{ topic: "cellrig/v1/rigA/board7/cmd", qos: 1 }] });
    expect(subscribe).toEqual(generate(p));
    expect(built((w) => writePuback(w, 65535))).toEqual(generate({ cmd: "puback", messageId: 65535 }));
    expect(built(writePingreq)).toEqual(generate({ cmd: "pingreq" }));
    expect(built(writeDisconnect)).toEqual(generate({ cmd: "disconnect" }));
  });

  it("throws naming the transmit buffer size when a packet does not fit", () => {
    const w = new PacketWriter(16);
    expect(() => writeConnect(w, { clientId: "a-rather-long-client-id", cleanSession: false, keepAlive_s: 5 })).toThrow(
      "MQTT packet needs 37 bytes of transmit buffer but it holds 16 (raise txCapacity_B or shorten the topic, client id or will)",
    );
  });
});

type Call = [string, ...unknown[]];

function recorder(calls: Call[]): PacketHandler {
  return {
    connack: (sessionPresent, returnCode) => calls.push(["connack", sessionPresent, returnCode]),
    publish: (topic, payload, qos, packetId) => calls.push(["publish", topic, Array.from(payload), qos, packetId]),
    puback: (packetId) => calls.push(["puback", packetId]),
    suback: (packetId, returnCode) => calls.push(["suback", packetId, returnCode]),
    pingresp: () => calls.push(["pingresp"]),
    tooLarge: (type, size_B, qos, packetId) => calls.push(["tooLarge", type, size_B, qos, packetId]),
  };
}

const incoming: Packet[] = [
  { cmd: "connack", sessionPresent: true, returnCode: 0 },
  { cmd: "connack", sessionPresent: false, returnCode: 4 },
  { cmd: "publish", topic: "cellrig/v1/rigA/board7/cmd", payload: Buffer.from([0xa1, 0x61, 0x78, 0x01]), qos: 1, messageId: 7, retain: false, dup: false },
  { cmd: "publish", topic: "x", payload: Buffer.alloc(0), qos: 0, retain: false, dup: false },
  { cmd: "puback", messageId: 300 },
  { cmd: "suback", messageId: 2, granted: [1] },
  { cmd: "suback", messageId: 3, granted: [0x80] },
  { cmd: "pingresp" },
];

const expectedCalls: Call[] = [
  ["connack", true, 0],
  ["connack", false, 4],
  ["publish", "cellrig/v1/rigA/board7/cmd", [0xa1, 0x61, 0x78, 0x01], 1, 7],
  ["publish", "x", [], 0, 0],
  ["puback", 300],
  ["suback", 2, 1],
  ["suback", 3, 0x80],
  ["pingresp"],
];

describe("incoming packets", () => {
  const stream = Buffer.concat(incoming.map(generate));

  it("decodes what mqtt-packet generates, however the stream is split", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 12 }), (cuts) => {
        const calls: Call[] = [];
        const parser = new PacketParser(64, recorder(calls));
        let from = 0;
        for (const cut of [...cuts].sort((a, b) => a - b).concat(stream.length)) {
          parser.feed(latin1(stream.subarray(from, cut)));
          from = cut;
        }
        expect(calls).toEqual(expectedCalls);
      }),
    );
  });

  it.each([127, 128, 16383, 16384])("decodes a PUBLISH with a remaining length of %d bytes", (remaining) => {
    const topic = "cmd";
    const payload = Buffer.alloc(remaining - 2 - topic.length - 2, 0x5a);
    const bytes = generate({ cmd: "publish", topic, payload, qos: 1, messageId: 9, retain: false, dup: false });
    const calls: Call[] = [];
    new PacketParser(20000, recorder(calls)).feed(latin1(bytes));
    expect(calls).toEqual([["publish", topic, Array.from(payload), 1, 9]]);
  });

  it("discards a packet larger than the receive buffer, reports its packet id, and goes on", () => {
    const big = generate({ cmd: "publish", topic: "cmd", payload: Buffer.alloc(500, 1), qos: 1, messageId: 77, retain: false, dup: false });
    const calls: Call[] = [];
    const parser = new PacketParser(64, recorder(calls));
    const stream = Buffer.concat([big, generate({ cmd: "pingresp" })]);
    for (let i = 0; i < stream.length; i += 50) parser.feed(latin1(stream.subarray(i, i + 50)));
    expect(calls).toEqual([["tooLarge", PUBLISH, big.length, 1, 77], ["pingresp"]]);
  });

  it("throws on malformed input", () => {
    const parser = new PacketParser(64, recorder([]));
    expect(() => parser.feed("\x20\xff\xff\xff\xff\x01")).toThrow("remaining length runs past 4 bytes");
    parser.reset();
    expect(() => parser.feed(latin1(generate({ cmd: "pubrec", messageId: 1 })))).toThrow("unexpected packet type 5 for a client");
    parser.reset();
    expect(() => parser.feed("\x20\x03\x00\x00\x00")).toThrow("CONNACK has a remaining length of 3 bytes instead of 2");
    parser.reset();
    expect(() => parser.feed(latin1(generate({ cmd: "publish", topic: "t", payload: Buffer.alloc(0), qos: 2, messageId: 1, retain: false, dup: false })))).toThrow(
      /QoS 2: the board subscribes with QoS 0 or 1 only/,
    );
  });

  it("words every CONNACK refusal as what to check", () => {
    expect(connackRefusal(4)).toBe("bad user name or password (check the board's MQTT username and password)");
    expect(connackRefusal(5)).toMatch(/^not authorized/);
    expect(connackRefusal(9)).toBe("unknown CONNACK return code 9");
  });
});
