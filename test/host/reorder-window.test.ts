import { describe, expect, it } from "vitest";
import { ReorderWindow, type RecoveryRequest } from "../../host/bridge/reorder-window.ts";

describe("ReorderWindow", () => {
  it("requests nothing for frames that arrive late within the window", () => {
    const window = new ReorderWindow({ window_ms: 1000 });
    window.noteGap("b1", 7, 10, 12, 0);
    for (const seq of [11, 10, 12]) window.arrived("b1", 7, seq);
    expect(window.due(5000)).toEqual([]);
  });

  it("requests the frames still missing after the window, as ranges, once", () => {
    const window = new ReorderWindow({ window_ms: 1000 });
    window.noteGap("b1", 7, 10, 15, 0);
    window.arrived("b1", 7, 12);
    expect(window.due(999)).toEqual([]);
    expect(window.due(1000)).toEqual([
      { kind: "resend", board: "b1", boot: 7, from: 10, to: 11 },
      { kind: "resend", board: "b1", boot: 7, from: 13, to: 15 },
    ]);
    expect(window.due(2000)).toEqual([]);
  });

  it("asks for a rebirth instead of resending a gap too large to resend", () => {
    const window = new ReorderWindow({ window_ms: 100, maxResendFrames: 50 });
    window.noteGap("b2", 3, 0, 999, 0);
    const sent: RecoveryRequest[] = [];
    expect(window.flush(100, { send: (r) => sent.push(r) })).toBe(1);
    expect(sent).toEqual([{ kind: "rebirth", board: "b2", boot: 3 }]);
  });

  it("keeps boards and boots apart and handles the wrap at 2^32", () => {
    const window = new ReorderWindow({ window_ms: 10 });
    window.noteGap("b1", 7, 4294967295, 0, 0);
    window.noteGap("b1", 8, 5, 5, 0);
    window.arrived("b1", 8, 4294967295);
    expect(window.due(10)).toEqual([
      { kind: "resend", board: "b1", boot: 7, from: 0, to: 0 },
      { kind: "resend", board: "b1", boot: 7, from: 4294967295, to: 4294967295 },
      { kind: "resend", board: "b1", boot: 8, from: 5, to: 5 },
    ]);
  });
});
