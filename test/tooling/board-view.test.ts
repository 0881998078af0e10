import { describe, expect, it } from "vitest";
import { applyMessage, emptyView, formatValue, renderView } from "../../host/tooling/board-view.ts";
import { encode, makeBirth, makeData, P1_CODES, S1_CODES, T1_CODES } from "../../scripts/fixtures/messages.ts";

const birth = makeBirth();
const at = (kind: string) => `cellrig/v1/${birth.rig}/${birth.board}/${kind}`;

describe("the monitor's view of a board", () => {
  it("shows each channel's latest physical value from the birth's calibration", () => {
    const view = emptyView();
    expect(applyMessage(view, at("birth"), encode(birth))?.kind).toBe("birth");
    expect(view.link).toBe("online");
    expect(applyMessage(view, at("data"), encode(makeData(birth)))?.kind).toBe("data");
    const [p1, t1, s1] = view.channels;
    expect(p1!.latest).toBeCloseTo(0.0078125 * P1_CODES.at(-1)! - 3.5, 9);
    expect(t1!.latest).toBeCloseTo(0.01 * T1_CODES.at(-1)! + 1.25, 9);
    expect(s1!.latest).toBeCloseTo(0.0025 * S1_CODES.at(-1)! + 7, 9);
    expect(view.channels.map((c) => c.frames)).toEqual([1, 1, 1]);
    const screen = renderView(view, "board cell-07").join("\n");
    expect(screen).toContain("board cell-07 of rig rig-A — online, firmware 0.3.1 build a1b2c3d4");
    expect(screen).toMatch(/p1\s+252\.492\s+kPa\s+10 Hz/);
  });

  it("keeps health and alarms, and goes offline on this boot's death only", () => {
    const view = emptyView();
    applyMessage(view, at("birth"), encode(birth));
    const health = { b: birth.boot, t: 1, v: 1, up: 90_000_000, buf: { used: 120, total: 4096 }, err: ["FIFO_FULL"], mem: { used: 900, total: 2500 }, link: { state: "up", connects: 2 } };
    expect(applyMessage(view, at("health"), encode(health))?.kind).toBe("health");
    const alarm = { b: birth.boot, n: 0, t: 2, v: 1, rule: "p1-high", state: "raised", value: 252.5, channel: "p1", threshold: 250 };
    expect(applyMessage(view, at("alarm"), encode(alarm))?.kind).toBe("alarm");
    const screen = renderView(view, "x").join("\n");
    expect(screen).toContain("health: up 90 s  mem 900/2500 JsVars  store 120/4096 B  link up (2 connects)  errors FIFO_FULL");
    expect(screen).toContain("RAISED  p1-high on p1: 252.5 (threshold 250)");

    expect(applyMessage(view, at("death"), encode({ b: birth.boot - 1, v: 1 }))).toBeUndefined();
    expect(view.link).toBe("online");
    expect(applyMessage(view, at("death"), encode({ b: birth.boot, v: 1 }))?.kind).toBe("death");
    expect(view.link).toBe("offline");
  });

  it("says why a message is refused instead of showing it", () => {
    const view = emptyView();
    const early = applyMessage(view, at("data"), encode(makeData(birth)));
    expect(early).toEqual({ kind: "rejected", reason: `${at("data")}: a data frame before the board's birth: its channels are not known yet` });
    applyMessage(view, at("birth"), encode(birth));
    expect(applyMessage(view, at("data"), Buffer.from([0xff]))?.kind).toBe("rejected");
    expect(view.rejected).toHaveLength(2);
  });

  it("prints values with about six significant digits", () => {
    expect(formatValue(101325.04)).toBe("101325");
    expect(formatValue(25.123456)).toBe("25.1235");
    expect(formatValue(2.5e-6)).toBe("2.5000e-6");
    expect(formatValue(undefined)).toBe("-");
  });
});
