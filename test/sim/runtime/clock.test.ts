import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../sim/runtime/clock.ts";

const START_s = 1_000_000.5;

describe("VirtualClock", () => {
  it("runs exactly the callbacks due by advanceTo, in due-time order, then creation order", () => {
    const clock = new VirtualClock(START_s);
    const owner = {};
    const ran: string[] = [];
    clock.setTimeout(owner, () => ran.push("c@3"), 3);
    clock.setTimeout(owner, () => ran.push("a@1"), 1);
    clock.setTimeout(owner, () => ran.push("b@1"), 1);
    clock.setTimeout(owner, () => ran.push("d@5"), 5);
    clock.advanceTo(START_s + 3);
    expect(ran).toEqual(["a@1", "b@1", "c@3"]);
    expect(clock.now_s()).toBe(START_s + 3);
    expect(clock.pending()).toBe(1);
  });

  it("holds time at each callback's scheduled time", () => {
    const clock = new VirtualClock(START_s);
    const seen: number[] = [];
    clock.setTimeout({}, () => seen.push(clock.now_s()), 0.25);
    clock.setTimeout({}, () => seen.push(clock.now_s()), 0.75);
    clock.advanceBy(10);
    expect(seen).toEqual([START_s + 0.25, START_s + 0.75]);
  });

  it("reschedules intervals from the scheduled time, without drift", () => {
    const clock = new VirtualClock(START_s);
    const times: number[] = [];
    clock.setInterval({}, () => times.push(clock.now_s()), 0.01);
    clock.advanceBy(100);
    expect(times).toHaveLength(10_000);
    expect(times[9_999]).toBeCloseTo(START_s + 100, 6);
    times.forEach((t, i) => expect(Math.abs(t - (START_s + (i + 1) * 0.01))).toBeLessThan(1e-6));
  });

  it("puts a rescheduled interval behind timers already due at its next time", () => {
    const clock = new VirtualClock(START_s);
    const owner = {};
    const ran: string[] = [];
    clock.setTimeout(owner, () => ran.push("t1@2"), 2);
    clock.setInterval(owner, () => ran.push(`i@${clock.now_s() - START_s}`), 1);
    clock.setTimeout(owner, () => ran.push("t2@2"), 2);
    clock.setTimeout(owner, () => ran.push("t@2.5"), 2.5);
    const other = clock.setInterval(owner, () => ran.push(`j@${clock.now_s() - START_s}`), 0.5);
    clock.advanceTo(START_s + 3);
    expect(ran).toEqual(["j@0.5", "i@1", "j@1", "j@1.5", "t1@2", "t2@2", "i@2", "j@2", "t@2.5", "j@2.5", "i@3", "j@3"]);
    expect(clock.clear(other)).toBe(true);
    expect(clock.pending()).toBe(1);
  });

  it("runs timers scheduled by a callback when they fall inside the same advance", () => {
    const clock = new VirtualClock(START_s);
    const owner = {};
    const ran: number[] = [];
    clock.setTimeout(owner, () => {
      ran.push(clock.now_s() - START_s);
      clock.setTimeout(owner, () => ran.push(clock.now_s() - START_s), 1);
    }, 1);
    clock.advanceBy(2);
    expect(ran).toEqual([1, 2]);
  });

  it("clears one owner's timers and leaves the others", () => {
    const clock = new VirtualClock(START_s);
    const a = {};
    const b = {};
    const ran: string[] = [];
    clock.setInterval(a, () => ran.push("a"), 1);
    clock.setTimeout(b, () => ran.push("b"), 1);
    clock.clearOwner(a);
    clock.advanceBy(3);
    expect(ran).toEqual(["b"]);
  });

  it("refuses to go back in time", () => {
    const clock = new VirtualClock(START_s);
    expect(() => clock.advanceTo(START_s - 1)).toThrow(/back/);
  });

  it("runs at max speed until stopped, and yields to the event loop meanwhile", async () => {
    const clock = new VirtualClock(START_s);
    let ticks = 0;
    clock.setInterval({}, () => ticks++, 1);
    const handle = clock.runRealtime({ speed: "max" });
    await new Promise<void>((resolve) => {
      const check = () => (ticks >= 5000 ? resolve() : setImmediate(check));
      check();
    });
    handle.stop();
    const stoppedAt = ticks;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ticks).toBe(stoppedAt);
    expect(clock.now_s()).toBeGreaterThanOrEqual(START_s + 5000);
  });
});
