import { describe, expect, it } from "vitest";
import { MqttExchange, type ExchangeCounters } from "../../../sim/runtime/mqtt-exchange.ts";
import { generate } from "../../firmware/helpers/mqtt-packet-io.ts";

const frame = (messageId: number, dup = false) =>
  generate({ cmd: "publish", topic: "cellrig/v1/sim-1/data", payload: Buffer.from([1, 2, 3]), qos: 1, messageId, dup, retain: false });
const puback = (messageId: number) => generate({ cmd: "puback", messageId });

/** Feeds `bytes` one byte at a time: packet boundaries must not depend on how TCP splits the stream. */
function dribble(bytes: Uint8Array, to: (chunk: Uint8Array) => void): void {
  for (let i = 0; i < bytes.length; i++) to(bytes.subarray(i, i + 1));
}

describe("MqttExchange", () => {
  it("counts data frames once each, resends included, and the ones the broker acknowledged", () => {
    const counters: ExchangeCounters = { dataFrames: 0, acknowledged: 0, framesAcknowledged: 0 };
    const exchange = new MqttExchange(counters);
    const birth = generate({ cmd: "publish", topic: "cellrig/v1/sim-1/birth", payload: Buffer.from("{}"), qos: 1, messageId: 1, dup: false, retain: true });
    dribble(Buffer.concat([birth, frame(2)]), (c) => exchange.written(c, 100));
    exchange.written(frame(3), 101);
    exchange.written(frame(3, true), 102);
    expect(counters.dataFrames).toBe(2);
    expect(exchange.oldestWaiting_s()).toBe(100);

    dribble(Buffer.concat([puback(1), puback(2)]), (c) => exchange.arrived(c));
    expect(counters).toEqual({ dataFrames: 2, acknowledged: 2, framesAcknowledged: 1 });
    expect(exchange.oldestWaiting_s()).toBe(101);
    exchange.arrived(Buffer.concat([puback(3), puback(3)]));
    expect(counters).toEqual({ dataFrames: 2, acknowledged: 3, framesAcknowledged: 2 });
    expect(exchange.oldestWaiting_s()).toBeUndefined();
  });
});
