import { describe, expect, it } from "vitest";
import { SequenceTracker } from "../../host/bridge/sequence-tracker.ts";

describe("SequenceTracker", () => {
  it("counts frames in order from the birth's sequence number", () => {
    const tracker = new SequenceTracker();
    tracker.begin("b1", 7, 41);
    expect([41, 42, 43].map((s) => tracker.observe("b1", 7, s))).toEqual(["in_order", "in_order", "in_order"]);
    expect(tracker.stats()).toEqual([{ board: "b1", boot: 7, frames: 3, missing: 0, duplicates: 0, late: 0, reported: 0, next: 44 }]);
  });

  it("counts skipped frames, duplicates and late arrivals", () => {
    const tracker = new SequenceTracker();
    tracker.begin("b1", 7, 10);
    expect(tracker.observe("b1", 7, 10)).toBe("in_order");
    expect(tracker.observe("b1", 7, 14)).toBe("after_gap");
    expect(tracker.observe("b1", 7, 14)).toBe("duplicate");
    expect(tracker.observe("b1", 7, 12)).toBe("late");
    expect(tracker.observe("b1", 7, 12)).toBe("duplicate");
    expect(tracker.stats()[0]).toMatchObject({ frames: 3, missing: 2, duplicates: 2, late: 1, next: 15 });
  });

  it("counts frames a gap message reports lost, less those that arrived all the same", () => {
    const tracker = new SequenceTracker();
    tracker.begin("b1", 7, 0);
    for (let s = 0; s < 10; s++) tracker.observe("b1", 7, s);
    // a power gap from the next boot: frames 8 and 9 had arrived, 10 … 20 had not
    tracker.report("b1", 7, 8, 13);
    expect(tracker.stats()[0]).toMatchObject({ frames: 10, reported: 11 });
    // a boot the tracker never saw a frame of
    tracker.report("b2", 3, 4294967290, 10);
    expect(tracker.stats()[1]).toMatchObject({ board: "b2", boot: 3, frames: 0, reported: 10 });
  });

  it("treats the wrap from 2^32-1 to 0 as the next frame", () => {
    const tracker = new SequenceTracker();
    tracker.begin("b1", 7, 4294967294);
    expect([4294967294, 4294967295, 0, 1].map((s) => tracker.observe("b1", 7, s))).toEqual(["in_order", "in_order", "in_order", "in_order"]);
    expect(tracker.stats()[0]).toMatchObject({ missing: 0, next: 2 });
  });

  it("keeps boots apart and ignores a repeated birth", () => {
    const tracker = new SequenceTracker();
    tracker.begin("b1", 7, 0);
    tracker.observe("b1", 7, 0);
    tracker.begin("b1", 7, 0);
    expect(tracker.observe("b1", 7, 0)).toBe("duplicate");
    tracker.begin("b1", 8, 100);
    expect(tracker.observe("b1", 8, 100)).toBe("in_order");
    expect(tracker.stats().map((s) => [s.boot, s.frames])).toEqual([[7, 1], [8, 1]]);
  });
});
