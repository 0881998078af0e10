// Link faults and the board's own clock, as firmware sees them: a TCP echo through a link with
// latency, loss or a capacity limit; getTime() and timers under crystal drift and clock steps.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VirtualClock } from "../../../sim/runtime/clock.ts";
import { SimNetwork, type LinkConditions } from "../../../sim/runtime/net.ts";
import { bootBoard, START_s } from "./board-fixture.ts";

const STEP_s = 0.01;
let server: net.Server;
let port: number;

beforeAll(async () => {
  server = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends `bytes` bytes to the echo server at the first tick after connecting; returns the virtual seconds until all came back. */
async function echoTime(link: LinkConditions | undefined, bytes: number, seed = 1): Promise<number> {
  const clock = new VirtualClock(START_s);
  const network = new SimNetwork(undefined, { seed });
  network.setLink(link);
  const board = bootBoard(
    `var got = 0, sent = -1;
     var s = require("net").connect({host: "127.0.0.1", port: ${port}}, function () {
       sent = getTime(); s.write(new Uint8Array(${bytes}));
     });
     s.on("data", function (d) { got += d.length; if (got === ${bytes}) print("echo " + (getTime() - sent)); });`,
    { clock, network },
  );
  // Virtual time moves in 10 ms steps with a pause between, so the echo server (real time) always answers within a step.
  const until = Date.now() + 10_000;
  await new Promise((r) => setTimeout(r, 20));
  while (!board.output.some((l) => l.startsWith("echo ")) && Date.now() < until) {
    clock.advanceBy(STEP_s);
    await new Promise((r) => setTimeout(r, 2));
  }
  board.close();
  expect(board.errors).toEqual([]);
  const line = board.output.find((l) => l.startsWith("echo "));
  if (line === undefined) throw new Error(`no echo within 10 s; output: ${board.output.join(" | ")}`);
  return Number(line.slice(5));
}

describe("link faults", () => {
  it("latency delays each direction by its amount", async () => {
    const rtt_s = await echoTime({ latency_s: 0.75 }, 10);
    expect(rtt_s).toBeGreaterThanOrEqual(1.5);
    expect(rtt_s).toBeLessThan(1.5 + 5 * STEP_s);
  });

  it("a capacity limit makes bytes take size / rate, each way", async () => {
    const rtt_s = await echoTime({ bytesPerSecond: 1000 }, 2000);
    expect(rtt_s).toBeGreaterThanOrEqual(4);
    expect(rtt_s).toBeLessThan(4 + 5 * STEP_s);
  });

  it("loss delays lost segments by TCP's retransmission timeout, the same on every run with the same seed", async () => {
    const lossy = { loss: 0.9 };
    const first = await echoTime(lossy, 10, 7);
    const again = await echoTime(lossy, 10, 7);
    expect(first).toBeGreaterThanOrEqual(0.2);
    expect(again).toBeCloseTo(first, 1);
  });

  it("refuses conditions that cannot be", () => {
    const network = new SimNetwork();
    expect(() => network.setLink({ loss: 1 })).toThrow(/loss must be a fraction from 0 to below 1/);
    expect(() => network.setLink({ latency_s: -1 })).toThrow(/latency must be 0 s or more/);
    expect(() => network.setLink({ bytesPerSecond: 0 })).toThrow(/capacity must be a positive number/);
  });
});

describe("the board's clock", () => {
  it("drift makes getTime() and the timers run fast together", () => {
    const clock = new VirtualClock(START_s);
    const board = bootBoard(`var ticks = 0; setInterval(function () { ticks++; }, 1000);`, { clock });
    board.time.setDrift(1000);
    clock.advanceBy(1000);
    expect(board.evaluate("ticks")).toBe(1000);
    clock.advanceBy(1);
    expect(board.evaluate("ticks")).toBe(1001);
    expect(board.evaluate("getTime()") as number).toBeCloseTo(START_s + 1001 * 1.001, 6);
    expect(board.time.error_s()).toBeCloseTo(1.001, 6);
    board.close();
  });

  it("a step moves getTime() and Date at once and leaves the timers' schedule alone", () => {
    const clock = new VirtualClock(START_s);
    const board = bootBoard(`var at = []; setInterval(function () { at.push(getTime()); }, 1000);`, { clock });
    clock.advanceBy(2);
    board.time.step(-30);
    clock.advanceBy(2);
    expect(board.evaluate("at")).toEqual([START_s + 1, START_s + 2, START_s + 3 - 30, START_s + 4 - 30]);
    expect(board.evaluate("Date.now()")).toBe((START_s + 4 - 30) * 1000);
    board.close();
  });

  it("with no fault the board's time is the virtual time exactly", () => {
    const clock = new VirtualClock(START_s);
    const board = bootBoard(``, { clock });
    clock.advanceBy(0.1);
    expect(board.evaluate("getTime()")).toBe(clock.now_s());
    board.close();
  });

  it("a brown-out resets the board and boots it again after the time off, flash kept", () => {
    const clock = new VirtualClock(START_s);
    const board = bootBoard(`require("Storage").write("n", String((Number(require("Storage").read("n")) || 0) + 1));`, { clock });
    board.brownOut(5);
    expect(board.running()).toBe(false);
    clock.advanceBy(4.9);
    expect(board.running()).toBe(false);
    clock.advanceBy(0.2);
    expect(board.running()).toBe(true);
    expect(board.evaluate(`require("Storage").read("n")`)).toBe("2");
    expect(board.reboots.map((r) => r.reason)).toEqual(["brown-out"]);
    board.close();
  });
});
