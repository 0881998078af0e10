import { describe, expect, it } from "vitest";
import { printedBy } from "./printed.ts";
import { checkBundle } from "../../scripts/build/bundle-check.ts";
import { shortenReferences } from "../../scripts/build/short-references.ts";
import { terserForEspruino } from "../../scripts/build/terser.ts";

// TypeScript's ES5 output for `class Counter` and `class Named extends Counter`, with the project's
// __extends (which replaces the prototype, so an alias taken before it would be stale).
const ES5_CLASSES = `
var __extends = function (d, b) { d.prototype = Object.create(b.prototype); d.prototype.constructor = d; };
var Counter = (function () {
  function Counter(step) { this.step = step; this.total = 0; }
  Counter.prototype.add = function () { this.total += this.step; this.total += this.step; this.total -= this.step; return this; };
  Counter.prototype.read = function () { return this.total; };
  Counter.prototype.twice = function () { return this.add().add().read(); };
  Counter.zero = function () { return new Counter(0); };
  return Counter;
}());
var Named = (function (_super) {
  __extends(Named, _super);
  function Named(name) { var _this = _super.call(this, 2) || this; _this.name = name; return _this; }
  Named.prototype.label = function () { var self = this; return [1, 2].map(function (i) { return self.name + i + this; }, "x").join(",") + this.name + this.total + this.step + this.read(); };
  Named.prototype.read = function () { return 100 + _super.prototype.read.call(this); };
  Named.prototype.other = function () { return this instanceof Named; };
  return Named;
}(Counter));
print(JSON.stringify([new Counter(3).twice(), new Named("n").label(), new Named("m").twice(), new Named("o").other(), Counter.zero().read()]));
`;

describe("shortenReferences", () => {
  it("aliases a class's prototype after __extends and a method's `this` used four times or more", () => {
    const out = shortenReferences(ES5_CLASSES);
    expect(out).toMatch(/var \$proto\d+ = Counter\.prototype;/);
    expect(out).toMatch(/__extends\(Named, _super\);\s*function Named[^]*var \$proto\d+ = Named\.prototype;/);
    expect(out).not.toContain("Counter.prototype.add");
    // add() uses `this` five times; read() once, which keeps its `this`
    expect(out).toMatch(/add = function \(\) \{ var \$this\d+ = this;\n\$this\d+\.total/);
    expect(out).toContain("read = function () { return this.total; }");
  });

  it("leaves the behaviour as it was, `this` of nested functions included", () => {
    expect(printedBy(shortenReferences(ES5_CLASSES))).toEqual(printedBy(ES5_CLASSES));
  });

  it("minified through terser, still runs alike and passes the Espruino bundle check", async () => {
    const minified = await terserForEspruino(`(function () {${ES5_CLASSES}})();`, true);
    expect(checkBundle(minified)).toEqual([]);
    expect(printedBy(minified)).toEqual(printedBy(ES5_CLASSES));
    expect(minified).not.toContain(".prototype.add");
  });

  it("refuses a bundle that already uses its alias names", () => {
    expect(() => shortenReferences("var $proto1 = 1;")).toThrow(/\$proto/);
  });
});
