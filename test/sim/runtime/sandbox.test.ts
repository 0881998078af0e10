import { describe, expect, it } from "vitest";
import { evaluate } from "./board-fixture.ts";

describe("sandbox: what the interpreter lacks is absent", () => {
  it.each([
    "Map", "Set", "WeakMap", "WeakSet", "Symbol", "Proxy", "Reflect", "BigInt", "BigInt64Array", "BigUint64Array",
    "TextEncoder", "TextDecoder", "globalThis", "queueMicrotask", "structuredClone", "SharedArrayBuffer", "Atomics",
    "WebAssembly", "Intl", "setImmediate", "Buffer", "module", "exports",
  ])("typeof %s is undefined", (name) => {
    expect(evaluate(`typeof ${name}`)).toBe("undefined");
  });

  it("has no Node process: process is the interpreter's", () => {
    expect(evaluate(`process.env.VERSION + " " + process.env.BOARD + " " + typeof process.exit`)).toBe("2v29 ESP32 undefined");
  });

  it.each([
    "Object.freeze", "Array.from", "Array.of", "[].flat", "Number.isInteger", "Number.isNaN", "Number.isFinite",
    "Number.MAX_SAFE_INTEGER", "Number.EPSILON", "Math.fround", "Math.trunc", "Math.log2", "Math.hypot", "Math.clz32",
    "String.raw", '"".codePointAt', "Promise.prototype.finally", "Promise.resolve(1).finally", "new ArrayBuffer(4).slice",
  ])("%s is undefined", (expression) => {
    expect(evaluate(`typeof ${expression}`)).toBe("undefined");
  });

  it("looks methods up on instances only: Array.prototype.slice is undefined, [].slice works", () => {
    expect(evaluate(`typeof Array.prototype.slice`)).toBe("undefined");
    expect(evaluate(`[1, 2].slice(1)[0]`)).toBe("2");
    expect(evaluate(`typeof Object.prototype.hasOwnProperty`)).toBe("undefined");
    expect(evaluate(`typeof String.prototype.charCodeAt`)).toBe("undefined");
  });

  it("keeps instanceof, construction and constructor identity working", () => {
    expect(evaluate(`[] instanceof Array`)).toBe("true");
    expect(evaluate(`new Array(3).length`)).toBe("3");
    expect(evaluate(`[].constructor === Array && ({}).constructor === Object`)).toBe("true");
    expect(evaluate(`Array.isArray([1])`)).toBe("true");
    expect(evaluate(`new Uint8Array(2) instanceof Uint8Array`)).toBe("true");
    expect(evaluate(`new TypeError("t") instanceof Error`)).toBe("true");
    expect(evaluate(`typeof Object.keys({ a: 1 })`)).toBe("object");
  });

  it("makes Array.prototype.slice.call(arguments) crash as on a board", () => {
    expect(() => evaluate(`(function () { return Array.prototype.slice.call(arguments); })(1, 2)`)).toThrow(/TypeError/);
  });

  it("reproduces the extends-Error trap: instanceof the subclass is false", () => {
    const code = `(function () {
      function MyError(m) { var _this = Error.call(this, m) || this; return _this; }
      MyError.prototype = Object.create(Error.prototype);
      return new MyError("x") instanceof MyError;
    })()`;
    expect(evaluate(code)).toBe("false");
  });
});

describe("sandbox: the interpreter's number traps", () => {
  it("computes Math.pow through exp(y·ln x), inexact for large exponents", () => {
    expect(evaluate(`Math.pow(2, 31) !== 2147483648`)).toBe("true");
    expect(Number(evaluate(`Math.pow(2, 31) - 2147483648`))).toBeGreaterThan(0);
    expect(evaluate(`Math.pow(2, 53) < 9007199254740992`)).toBe("true");
  });

  it("keeps small integer powers exact", () => {
    expect(evaluate(`Math.pow(2, 9) === 512 && Math.pow(10, 3) === 1000`)).toBe("true");
  });

  it("prints non-integers in JSON with the interpreter's 11 fractional digits", () => {
    expect(evaluate(`JSON.stringify(1 / 3)`)).toBe("0.33333333333");
    expect(evaluate(`JSON.stringify({ pi: 3.14159265358979, list: [0.1, 2.5, 7] })`)).toBe('{"pi":3.14159265358,"list":[0.1,2.5,7]}');
  });

  it("prints exact integers unchanged", () => {
    expect(evaluate(`JSON.stringify({ t: 1735689600123, n: -42 })`)).toBe('{"t":1735689600123,"n":-42}');
  });

  it("uses the same digits for print and explicit toString", () => {
    expect(evaluate(`1 / 3`)).toBe("0.33333333333");
    expect(evaluate(`(2 / 3).toString()`)).toBe("0.66666666666");
  });
});

describe("sandbox: time and promises", () => {
  it("follows the virtual clock in Date.now(), new Date() and getTime()", () => {
    expect(evaluate(`getTime()`)).toBe("1735689600.25");
    expect(evaluate(`Date.now()`)).toBe("1735689600250");
    expect(evaluate(`new Date().getTime()`)).toBe("1735689600250");
  });

  it("runs Promise reactions from the board's idle loop", () => {
    expect(evaluate(`typeof Promise.all`)).toBe("function");
    expect(evaluate(`Promise.resolve(1) instanceof Promise`)).toBe("true");
  });
});
