// The ADS1115 driver in the firmware bundle against its twin: one input in continuous mode, several
// inputs of one chip scanned with single-shot conversions, pipelined one sample period late.
import { afterEach, describe, expect, it } from "vitest";
import { lsb_V } from "../../../boards/chips/ads1115.ts";
import { QUALITY_OPEN_CIRCUIT, QUALITY_SATURATED } from "../../../protocol/wire/data-frame.ts";
import { Ads1115Twin } from "../../../sim/chips/ads1115.ts";
import { channel, driverBench, type DriverBench } from "./sources.ts";

function ads(id: string, input: string, extra: { [key: string]: unknown } = {}) {
  return channel({ id, sensor: "ads1115", bus: "I2C1", address: 0x48, input, range_V: 4.096, ...extra });
}

describe("ADS1115 driver against its twin", () => {
  let bench: DriverBench | undefined;
  let twin: Ads1115Twin;

  async function setUp(): Promise<DriverBench> {
    twin = new Ads1115Twin(0x48);
    bench = await driverBench("linux", (b) => b.board.i2c("I2C1").attach(twin));
    return bench;
  }

  afterEach(() => bench?.close());

  it("one input: continuous codes at zero, one LSB, negative and beyond full scale", async () => {
    const b = await setUp();
    expect(b.start([ads("v", "AIN0-AIN1", { range_V: 2.048 })])).toBe("");
    const cases: [number, number, number][] = [
      [0, 0, 0],
      [lsb_V(2.048), 1, 0],
      [-1, -16000, 0],
      [2.047, 32752, 0],
      [3, 32767, QUALITY_SATURATED],
      [-3, -32768, QUALITY_SATURATED],
    ];
    for (const [v, code, quality] of cases) {
      twin.setInput(0, () => v);
      b.advance(0.01);
      expect(b.read(0)).toEqual({ code, quality });
    }
  });

  it("several inputs: each scan gives every input its own code, one sample period late", async () => {
    const b = await setUp();
    const volts = [0.5, 1.25, 2.5];
    volts.forEach((v, i) => twin.setInput(i as 0 | 1 | 2, () => v));
    expect(b.start([ads("a", "AIN0"), ads("b", "AIN1", { range_V: 2.048 }), ads("c", "AIN2", { range_V: 6.144 })])).toBe("");
    b.advance(0.1);
    expect([0, 1, 2].map((i) => b.read(i))).toEqual([
      { code: 4000, quality: 0 },
      { code: 20000, quality: 0 },
      { code: Math.round(2.5 / lsb_V(6.144)), quality: 0 },
    ]);
    // Input 0 steps to 1 V half-way between two ticks: the next tick still hands out the scan made
    // before the step, the one after that the new value.
    const step_s = b.bundle.clock.now_s() + 0.05;
    twin.setInput(0, (t) => (t < step_s ? 0.5 : 1));
    b.advance(0.1);
    expect(b.read(0).code).toBe(4000);
    b.advance(0.1);
    expect(b.read(0).code).toBe(8000);
  });

  it("a scan that cannot fit in a sample period is refused at start", async () => {
    const b = await setUp();
    const four = ["AIN0", "AIN1", "AIN2", "AIN3"].map((input, i) => ads(`c${i}`, input, { rate_hz: 250 }));
    // Boot starts each source after making it; the fourth input makes the scan too long.
    expect(b.start(four)).toMatch(/^channel "c0", "c1", "c2", "c3": ADS1115 at 0x48 on I2C1: scanning 4 inputs takes 5\.12 ms, longer than the sample period of 4 ms/);
  });

  it("a chip that stops answering flags every scanned input open", async () => {
    const b = await setUp();
    expect(b.start([ads("a", "AIN0"), ads("b", "AIN1")])).toBe("");
    b.advance(0.1);
    twin.setFault("open");
    b.read(0);
    b.advance(0.1);
    expect(b.read(0).quality).toBe(QUALITY_OPEN_CIRCUIT);
    expect(b.read(1).quality).toBe(QUALITY_OPEN_CIRCUIT);
  });

  it("names the channel, address and bus when no chip answers", async () => {
    bench = await driverBench("linux", () => {});
    expect(bench.start([ads("p1", "AIN0")])).toMatch(/^channel "p1": ADS1115 at 0x48 on I2C1 did not answer \(.+\); check wiring, power and the ADDR pin$/);
  });
});
