// The ABP2-style digital pressure driver in the firmware bundle against its twin: the transfer
// function at 10, 50 and 90 % of 2^24 counts, pipelined conversions and the status byte's faults.
import { afterEach, describe, expect, it } from "vitest";
import { OUTPUT_MAX_COUNTS, OUTPUT_MIN_COUNTS } from "../../../boards/chips/abp2.ts";
import { physicalValue } from "../../../protocol/decode/physical.ts";
import { QUALITY_LATE, QUALITY_OPEN_CIRCUIT, QUALITY_SATURATED } from "../../../protocol/wire/data-frame.ts";
import { Abp2Twin } from "../../../sim/chips/abp2.ts";
import { channel, driverBench, type DriverBench } from "./sources.ts";

const MIN_Pa = 0;
const MAX_Pa = 160e3;
/** P = Pmin + (counts − 10 % of 2^24)·(Pmax − Pmin)/(80 % of 2^24). */
const GAIN = (MAX_Pa - MIN_Pa) / (OUTPUT_MAX_COUNTS - OUTPUT_MIN_COUNTS);
const CAL = { kind: "linear" as const, gain: GAIN, offset: MIN_Pa - GAIN * OUTPUT_MIN_COUNTS };
const ABP2 = channel({ id: "p1", sensor: "abp2", bus: "I2C1", address: 0x28, calibration: CAL });

describe("ABP2 driver against its twin", () => {
  let bench: DriverBench | undefined;
  let twin: Abp2Twin;

  async function setUp(): Promise<DriverBench> {
    twin = new Abp2Twin(0x28, { min_Pa: MIN_Pa, max_Pa: MAX_Pa });
    bench = await driverBench("linux", (b) => b.board.i2c("I2C1").attach(twin));
    return bench;
  }

  afterEach(() => bench?.close());

  it("follows the transfer function at 10, 50 and 90 % of 2^24 counts", async () => {
    const b = await setUp();
    twin.setPressure(() => MIN_Pa);
    expect(b.start([ABP2])).toBe("");
    for (const [pressure_Pa, counts] of [[MIN_Pa, 1677722], [80e3, 8388608], [MAX_Pa, 15099494]] as const) {
      twin.setPressure(() => pressure_Pa);
      b.advance(0.1);
      // The read returns the conversion the previous read started; it ended 5 ms later, at the new pressure.
      const { code, quality } = b.read(0);
      expect(quality).toBe(0);
      expect(code).toBe(counts);
      expect(physicalValue(code, CAL)).toBeCloseTo(pressure_Pa, 6);
    }
  });

  it("flags a read during a conversion as late and keeps the previous counts", async () => {
    const b = await setUp();
    twin.setPressure(() => 80e3);
    expect(b.start([ABP2])).toBe("");
    b.advance(0.1);
    expect(b.read(0)).toEqual({ code: 8388608, quality: 0 });
    expect(b.read(0)).toEqual({ code: 8388608, quality: QUALITY_LATE });
  });

  it("maps math saturation to saturated and a memory error or a silent chip to open circuit", async () => {
    const b = await setUp();
    expect(b.start([ABP2])).toBe("");
    b.advance(0.1);
    b.read(0);
    twin.setFault("saturated");
    b.advance(0.1);
    expect(b.read(0)).toEqual({ code: 0xffffff, quality: QUALITY_SATURATED });
    twin.setFault("memory_error");
    b.advance(0.1);
    expect(b.read(0).quality).toBe(QUALITY_OPEN_CIRCUIT);
    twin.setFault("open");
    b.advance(0.1);
    expect(b.read(0).quality).toBe(QUALITY_OPEN_CIRCUIT);
  });

  it("refuses a rate above the conversion rate, and names a missing chip", async () => {
    const b = await setUp();
    expect(b.start([{ ...ABP2, rate_hz: 250 }])).toMatch(/a conversion takes 5 ms, longer than the sample period of 4 ms \(lower the rate to at most 200 Hz\)/);
    bench!.close();
    bench = await driverBench("linux", () => {});
    expect(bench.start([ABP2])).toMatch(/^channel "p1": ABP2 pressure sensor at 0x28 on I2C1 did not answer/);
  });
});
