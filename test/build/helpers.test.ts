import { readFileSync } from "node:fs";
import vm from "node:vm";
import { describe, expect, it } from "vitest";

const helpers = readFileSync(new URL("../../firmware/lib/helpers.js", import.meta.url), "utf8");

/** Runs the helpers and `code` in a fresh context, optionally without Object.setPrototypeOf, and returns `result`. */
function evaluate(code: string, withSetPrototypeOf = true): unknown {
  const context = vm.createContext({});
  if (!withSetPrototypeOf) vm.runInContext("delete Object.setPrototypeOf;", context);
  return vm.runInContext(`${helpers}\n${code}\nresult;`, context);
}

// TypeScript's ES5 output for `class Scaled extends Base` with a static, after terser's hoisting.
const classes = `
var Base = (function () {
  function Base(gain) { this.gain = gain; }
  Base.kind = function () { return "sensor"; };
  Base.prototype.read = function () { return this.gain; };
  return Base;
})();
var Scaled = (function (_super) {
  function Scaled(gain) { var _this = _super.call(this, gain) || this; _this.scale = 2.5; return _this; }
  __extends(Scaled, _super);
  Scaled.prototype.read = function () { return _super.prototype.read.call(this) * this.scale; };
  return Scaled;
})(Base);
var s = new Scaled(4);
var result = [s.read(), Scaled.kind(), s instanceof Base, s instanceof Scaled, s.constructor === Scaled];
`;

describe("firmware/lib/helpers.js", () => {
  it("__extends links instances and statics through Object.setPrototypeOf", () => {
    expect(evaluate(classes)).toEqual([10, "sensor", true, true, true]);
  });

  it("__extends links statics through __proto__ where Object.setPrototypeOf is missing", () => {
    expect(evaluate(`var hadIt = typeof Object.setPrototypeOf; ${classes} result.push(hadIt);`, false)).toEqual([10, "sensor", true, true, true, "undefined"]);
  });

  it("__extends accepts null and refuses a base that is not a constructor", () => {
    expect(evaluate("function D() {} __extends(D, null); var result = Object.getPrototypeOf(D.prototype);")).toBeNull();
    expect(() => evaluate("function D() {} __extends(D, 42); var result = 0;")).toThrow("Class extends value 42 is not a constructor or null");
  });

  it("__assign copies own enumerable properties left to right and skips null sources", () => {
    expect(evaluate("var result = __assign({}, { a: 1, b: 2 }, null, { b: 3 }, undefined);")).toEqual({ a: 1, b: 3 });
  });

  it("__rest keeps the properties not named", () => {
    expect(evaluate('var result = __rest({ a: 1, b: 2, c: 3 }, ["a", "c"]);')).toEqual({ b: 2 });
  });

  it("__spreadArray appends arrays, strings and typed arrays", () => {
    expect(evaluate('var result = __spreadArray(__spreadArray(__spreadArray([0], [1, 2], false), "ab", false), new Uint8Array([9]), false);')).toEqual([0, 1, 2, "a", "b", 9]);
  });
});
