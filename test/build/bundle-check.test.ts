import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkBundle, type BundleProblem } from "../../scripts/build/bundle-check.ts";

const helpers = readFileSync(new URL("../../firmware/lib/helpers.js", import.meta.url), "utf8");

function only(problems: BundleProblem[]): BundleProblem {
  expect(problems).toHaveLength(1);
  return problems[0]!;
}

describe("checkBundle rejects", () => {
  it("syntax beyond ES5, with its position", () => {
    const problem = only(checkBundle("var o = { a: 1 };\nvar { a } = o;\n"));
    expect(problem).toMatchObject({ rule: "syntax", line: 2, column: 5 });
    expect(problem.message).toContain("ES5");
  });

  it("globals Espruino does not have, naming them", () => {
    const problem = only(checkBundle("var seen = 0;\nvar boards = new Map();\n"));
    expect(problem).toMatchObject({ rule: "global", line: 2, column: 18 });
    expect(problem.message).toContain('"Map"');
    expect(problem.message).toContain("plain object");
  });

  it("a TypeScript helper for a feature Espruino cannot run", () => {
    const problem = only(checkBundle("var run = function () { return __awaiter(this, void 0, void 0, function () {}); };"));
    expect(problem.rule).toBe("global");
    expect(problem.message).toContain("async functions");
  });

  it("assignment to an undeclared name", () => {
    expect(only(checkBundle("(function () { total = 3; })();")).message).toContain("declare it with var, let or const");
  });

  it("a call before the function declaration in the same body", () => {
    const problem = only(checkBundle("f();\nfunction f() {}\n"));
    expect(problem).toMatchObject({ rule: "use-before-declaration", line: 1, column: 1 });
    expect(problem.message).toContain('"f"');
    expect(problem.message).toContain("2:10");
  });

  it("a var read before its assignment, inside a function too", () => {
    const problem = only(checkBundle("(function () {\n  var x = g();\n  var g = function () { return 1; };\n})();\n"));
    expect(problem).toMatchObject({ rule: "use-before-declaration", line: 2, column: 11 });
    expect(problem.message).toContain('"g"');
  });

  it("methods looked up on a built-in prototype", () => {
    const problem = only(checkBundle("function toArray() {\n  return Array.prototype.slice.call(arguments);\n}\n"));
    expect(problem).toMatchObject({ rule: "forbidden-member", line: 2, column: 10 });
    expect(problem.message).toContain("Array.prototype.slice");
    expect(problem.message).toContain("[].slice.call(arguments)");
  });

  it("absent statics and absent instance methods", () => {
    const problems = checkBundle("var o = Object.freeze({});\nvar n = Number.isInteger(2.5);\nvar p = Promise.resolve(1).finally(function () {});\n");
    expect(problems.map((p) => [p.rule, p.line])).toEqual([
      ["forbidden-member", 1],
      ["forbidden-member", 2],
      ["forbidden-member", 3],
    ]);
    expect(problems[0]!.message).toContain("Object.freeze");
    expect(problems[1]!.message).toContain("Math.floor(x) === x");
    expect(problems[2]!.message).toContain(".finally()");
  });

  it("Math.pow with a large literal exponent, suggesting the exact constant", () => {
    const problem = only(checkBundle("var full = 1;\nvar two32 = Math.pow(2, 32);\n"));
    expect(problem).toMatchObject({ rule: "math-pow", line: 2, column: 13 });
    expect(problem.message).toContain("4294967296");
  });

  it("Math.pow with an exponent that is not a literal", () => {
    const problem = only(checkBundle("function scale(bits) { return Math.pow(2, bits); }"));
    expect(problem.rule).toBe("math-pow");
    expect(problem.message).toContain("not a literal");
  });

  it("every problem at once, in source order", () => {
    const problems = checkBundle("var m = new Set();\nf();\nfunction f() { return Math.pow(10, 12); }\n");
    expect(problems.map((p) => `${p.rule}@${p.line}`)).toEqual(["global@1", "use-before-declaration@2", "math-pow@3"]);
  });
});

describe("checkBundle accepts", () => {
  it("an ES5 bundle with the helpers file and a class that extends another", () => {
    const bundle = `(function () {
${helpers}
var Base = (function () {
  function Base(gain) { this.gain = gain; }
  Base.create = function (gain) { return new this(gain); };
  Base.prototype.read = function () { return this.gain; };
  return Base;
})();
var Scaled = (function (_super) {
  function Scaled(gain) {
    var _this = _super.call(this, gain) || this;
    _this.scale = 2.5;
    return _this;
  }
  __extends(Scaled, _super);
  Scaled.prototype.read = function () { return _super.prototype.read.call(this) * this.scale; };
  return Scaled;
})(Base);
var copy = __assign({}, { a: 1 });
var rest = __rest(copy, ["a"]);
var all = __spreadArray(__spreadArray([], [1, 2]), [3]);
print(Scaled.create(4).read(), copy, rest, all, Math.pow(2, 8), Math.pow(9, 0.5), [].slice.call([1]), D13, A0);
})();
`;
    expect(checkBundle(bundle)).toEqual([]);
  });

  it("references to later declarations from inside nested functions", () => {
    expect(checkBundle("function start() { return later(); }\nfunction later() { return 1; }\nprint(start());\n")).toEqual([]);
  });

  it("local names that shadow absent globals and built-ins", () => {
    expect(checkBundle("(function () { var Map = function () {}; var Array = { prototype: {} }; return [new Map(), Array.prototype.x]; })();")).toEqual([]);
  });
});
