import { describe, expect, it } from "vitest";
import { printedBy } from "./printed.ts";
import { shortenMembers } from "../../scripts/build/member-names.ts";

const CODE = `
var Ring = (function () {
  function Ring() { this.headIndex = 0; this.tailIndex = 0; this.used = 0; this.label = { a: 1 }; }
  Ring.prototype.advance = function () { this.headIndex++; this.headIndex++; this.headIndex++; this.tailIndex++; return this.headIndex + this.tailIndex; };
  Ring.prototype.key = function () { return this["tailIndex"] + this.label.a + this.b; };
  return Ring;
}());
var r = new Ring(); r.b = 10;
print(JSON.stringify([r.advance(), r.key()]));
`;

describe("shortenMembers", () => {
  it("gives the most used private member the shortest name, never one the code uses otherwise", () => {
    const out = shortenMembers(CODE, ["headIndex", "advance", "used"]);
    expect(out).not.toContain("headIndex");
    expect(out).not.toContain("advance");
    // headIndex (5 uses) gets the first free letter; `a` and `b` are properties already
    expect(out).toContain("this.c++");
    expect(out).toContain("r.d()");
    expect(out).toContain("this.e = 0");
    // not private: kept
    expect(out).toContain("this.tailIndex");
    expect(out).toContain('this["tailIndex"]');
  });

  it("changes nothing the program does", () => {
    expect(printedBy(shortenMembers(CODE, ["headIndex", "advance", "used"]))).toEqual(printedBy(CODE));
  });
});
