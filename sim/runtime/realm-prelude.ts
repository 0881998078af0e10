/**
 * Source of the script that turns a fresh V8 context into the Espruino interpreter's JavaScript: it
 * runs inside the context (so everything it defines belongs to that realm), removes what the
 * interpreter lacks, and reproduces the interpreter's traps that V8 would otherwise let pass.
 * ../../../shared/espruino-subset.md lists what it follows; jswrap_math.c in the Espruino source
 * gives the pow and sqrt formulas.
 *
 * It evaluates to a function taking the host hooks and returning the realm's own constructors, which
 * the host needs to hand out values (errors, byte arrays, arrays) that `instanceof` accepts inside.
 * It is kept as source text because a host function's toString() may carry a transpiler's helpers.
 */

/** What the prelude needs from the host; none of it is reachable from the sandbox's global object. */
export interface PreludeHooks {
  /** Virtual time, Unix milliseconds (float). */
  now_ms(): number;
  formatNumber(x: number): string;
  /** Queues a callback on the board's timeline (Promise reactions run from the idle loop). */
  defer(fn: () => void): void;
  unhandledRejection(reason: unknown): void;
}

/** The realm's original constructors, captured before the prelude hides them behind wrappers. */
export interface PreludeKit {
  Error: ErrorConstructor;
  TypeError: TypeErrorConstructor;
  RangeError: RangeErrorConstructor;
  SyntaxError: SyntaxErrorConstructor;
  ReferenceError: ReferenceErrorConstructor;
  Uint8Array: Uint8ArrayConstructor;
  ArrayBuffer: ArrayBufferConstructor;
  Array: ArrayConstructor;
  Object: ObjectConstructor;
  jsonParse(text: string): unknown;
  jsonStringify(value: unknown): string | undefined;
  /** Every object the prelude leaves reachable from the global object: not counted as firmware memory. */
  builtins: object[];
}

export const REALM_PRELUDE = String.raw`(function (hooks) {
  "use strict";
  var G = this;
  var R = {
    Object: Object, Function: Function, Array: Array, String: String, Number: Number, Boolean: Boolean,
    Date: Date, RegExp: RegExp, Error: Error, TypeError: TypeError, RangeError: RangeError,
    SyntaxError: SyntaxError, ReferenceError: ReferenceError, ArrayBuffer: ArrayBuffer, DataView: DataView,
    Uint8Array: Uint8Array, Int8Array: Int8Array, Uint16Array: Uint16Array, Int16Array: Int16Array,
    Uint32Array: Uint32Array, Int32Array: Int32Array, Float32Array: Float32Array, Float64Array: Float64Array,
    Uint8ClampedArray: Uint8ClampedArray, JSON: JSON, Math: Math, Symbol: Symbol, Reflect: Reflect,
    WeakMap: WeakMap
  };
  var defineProperty = R.Object.defineProperty;
  var hide = function (obj, name, value) {
    defineProperty(obj, name, { value: value, writable: true, configurable: true, enumerable: false });
  };
  var removeAll = function (obj, names) {
    for (var i = 0; i < names.length; i++) delete obj[names[i]];
  };

  removeAll(G, ["globalThis", "Symbol", "Map", "Set", "WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry",
    "Proxy", "Reflect", "BigInt", "BigInt64Array", "BigUint64Array", "SharedArrayBuffer", "Atomics", "WebAssembly",
    "Intl", "AggregateError", "EvalError", "URIError", "escape", "unescape", "encodeURI", "decodeURI", "console",
    "queueMicrotask", "structuredClone", "TextEncoder", "TextDecoder"]);

  // Instance methods the interpreter does not have.
  removeAll(R.Array.prototype, ["flat", "flatMap", "at", "findLast", "findLastIndex", "toSorted", "toReversed",
    "toSpliced", "with", "copyWithin", "entries", "keys", "values"]);
  removeAll(R.String.prototype, ["codePointAt", "normalize", "at", "matchAll", "isWellFormed", "toWellFormed"]);
  removeAll(R.Number.prototype, ["toPrecision", "toExponential"]);
  removeAll(R.ArrayBuffer.prototype, ["slice", "resize", "transfer", "transferToFixedLength"]);
  var TypedArrayPrototype = R.Object.getPrototypeOf(R.Uint8Array.prototype);
  removeAll(TypedArrayPrototype, ["at", "findLast", "findLastIndex", "toSorted", "toReversed", "with",
    "copyWithin", "entries", "keys", "values"]);

  // Math: only the interpreter's functions, and its pow/sqrt, which go through exp(y·ln x).
  removeAll(R.Math, ["fround", "trunc", "log2", "log10", "log1p", "expm1", "hypot", "clz32", "cbrt", "imul",
    "sinh", "cosh", "tanh", "asinh", "acosh", "atanh"]);
  var exp = R.Math.exp, log = R.Math.log;
  var mod = function (x, y) { return x % y; };
  hide(R.Math, "pow", function pow(x, y) {
    x = +x; y = +y;
    var yi = y | 0;
    if (yi >= 0 && yi < 10 && yi === y) {
      if (yi === 0) return 1;
      var p = x;
      while (yi > 1) { p *= x; yi--; }
      return p;
    }
    if (x < 0 && mod(y, 1) === 0) return mod(y, 2) === 0 ? exp(log(-x) * y) : -exp(log(-x) * y);
    if (x !== 0 || 0 >= y) return exp(log(x) * y);
    return 0;
  });
  hide(R.Math, "sqrt", function sqrt(x) {
    x = +x;
    return x >= 0 ? exp(log(x) * 0.5) : NaN;
  });

  // Numbers become text with the interpreter's 11 fractional digits wherever the conversion is explicit.
  var numberValueOf = R.Number.prototype.valueOf;
  var numberToString = R.Number.prototype.toString;
  hide(R.Number.prototype, "toString", function toString(radix) {
    var n = numberValueOf.call(this);
    if (radix === undefined || radix === 10) return hooks.formatNumber(n);
    return numberToString.call(n, radix);
  });

  var NUMBER_TOKEN = "\u0000espruino-number:";
  var jsonStringify = function (value, replacer, space) {
    var numbers = [];
    var text = R.JSON.stringify(value, function (key, v) {
      if (typeof replacer === "function") v = replacer.call(this, key, v);
      if (typeof v === "number" && isFinite(v) && v !== R.Math.floor(v)) {
        numbers.push(hooks.formatNumber(v));
        return NUMBER_TOKEN + (numbers.length - 1);
      }
      if (R.ArrayBuffer.isView(v) && !(v instanceof R.DataView)) return R.Array.prototype.slice.call(v);
      return v;
    }, space);
    if (text === undefined || numbers.length === 0) return text;
    return text.replace(/"\\u0000espruino-number:(\d+)"/g, function (_, i) { return numbers[+i]; });
  };
  var JSONW = R.Object.create(R.Object.prototype);
  hide(JSONW, "parse", R.JSON.parse);
  hide(JSONW, "stringify", jsonStringify);
  hide(G, "JSON", JSONW);

  // Built-in constructors: methods exist on instances only, so X.prototype.method is undefined and
  // helpers like Array.prototype.slice.call(arguments) crash as on a board. Statics are whitelisted.
  var wrap = function (name, Real, statics, isInstance) {
    var W = function () {
      return new.target ? R.Reflect.construct(Real, arguments) : R.Reflect.apply(Real, undefined, arguments);
    };
    defineProperty(W, "name", { value: name });
    defineProperty(W, "prototype", { value: R.Object.create(null), writable: false });
    for (var i = 0; i < statics.length; i++) {
      var d = R.Object.getOwnPropertyDescriptor(Real, statics[i]);
      if (d) defineProperty(W, statics[i], d);
    }
    defineProperty(W, R.Symbol.hasInstance, { value: isInstance || function (x) { return x instanceof Real; } });
    hide(Real.prototype, "constructor", W);
    hide(G, name, W);
    return W;
  };
  var isObject = function (x) { return x !== null && (typeof x === "object" || typeof x === "function"); };

  wrap("Object", R.Object, ["keys", "values", "entries", "assign", "defineProperty", "defineProperties", "create",
    "setPrototypeOf", "getPrototypeOf", "getOwnPropertyNames", "getOwnPropertyDescriptor",
    "getOwnPropertyDescriptors", "fromEntries"], isObject);
  wrap("Function", R.Function, [], function (x) { return typeof x === "function"; });
  wrap("Array", R.Array, ["isArray"], function (x) { return R.Array.isArray(x); });
  var StringW = wrap("String", R.String, ["fromCharCode"]);
  hide(G, "String", function String(value) {
    var s = arguments.length === 0 ? "" : typeof value === "number" ? hooks.formatNumber(value) : R.String(value);
    return new.target ? new R.String(s) : s;
  });
  defineProperty(G.String, "prototype", { value: StringW.prototype, writable: false });
  defineProperty(G.String, R.Symbol.hasInstance, { value: function (x) { return x instanceof R.String; } });
  hide(G.String, "fromCharCode", R.String.fromCharCode);
  hide(R.String.prototype, "constructor", G.String);
  wrap("Number", R.Number, ["MAX_VALUE", "MIN_VALUE", "NaN", "NEGATIVE_INFINITY", "POSITIVE_INFINITY"]);
  wrap("Boolean", R.Boolean, []);
  wrap("RegExp", R.RegExp, []);
  wrap("Error", R.Error, []);
  wrap("TypeError", R.TypeError, []);
  wrap("RangeError", R.RangeError, []);
  wrap("SyntaxError", R.SyntaxError, []);
  wrap("ReferenceError", R.ReferenceError, []);
  wrap("ArrayBuffer", R.ArrayBuffer, ["isView"]);
  wrap("DataView", R.DataView, []);
  ["Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "Float32Array",
    "Float64Array", "Uint8ClampedArray"].forEach(function (name) { wrap(name, R[name], []); });

  // Date follows the virtual clock.
  var DateW = function Date() {
    if (!new.target) return new R.Date(hooks.now_ms()).toString();
    if (arguments.length === 0) return new R.Date(hooks.now_ms());
    return R.Reflect.construct(R.Date, arguments);
  };
  defineProperty(DateW, "prototype", { value: R.Object.create(null), writable: false });
  defineProperty(DateW, R.Symbol.hasInstance, { value: function (x) { return x instanceof R.Date; } });
  hide(DateW, "now", function now() { return hooks.now_ms(); });
  hide(DateW, "parse", R.Date.parse);
  hide(DateW, "UTC", R.Date.UTC);
  hide(R.Date.prototype, "constructor", DateW);
  hide(G, "Date", DateW);

  // Promise: reactions run from the board's idle loop (not V8's microtask queue, which the virtual
  // clock cannot see), and an unhandled rejection is reported on the board instead of the host.
  var promiseStates = new R.WeakMap();
  var promiseProto = R.Object.create(R.Object.prototype);
  var newPromise = function () {
    var p = R.Object.create(promiseProto);
    promiseStates.set(p, { state: 0, value: undefined, reactions: [], handled: false });
    return p;
  };
  var runReaction = function (reaction, s) {
    hooks.defer(function () {
      var fn = s.state === 1 ? reaction.onFulfilled : reaction.onRejected;
      if (typeof fn !== "function") {
        if (s.state === 1) resolvePromise(reaction.next, s.value); else settle(reaction.next, 2, s.value);
        return;
      }
      var result;
      try { result = fn(s.value); } catch (e) { settle(reaction.next, 2, e); return; }
      resolvePromise(reaction.next, result);
    });
  };
  var settle = function (p, state, value) {
    var s = promiseStates.get(p);
    if (s.state !== 0) return;
    s.state = state;
    s.value = value;
    var reactions = s.reactions;
    s.reactions = [];
    for (var i = 0; i < reactions.length; i++) runReaction(reactions[i], s);
    if (state === 2 && reactions.length === 0) {
      hooks.defer(function () { if (!s.handled) hooks.unhandledRejection(value); });
    }
  };
  var resolvePromise = function (p, x) {
    if (x === p) { settle(p, 2, new R.TypeError("Promise resolved with itself")); return; }
    if (isObject(x)) {
      var then;
      try { then = x.then; } catch (e) { settle(p, 2, e); return; }
      if (typeof then === "function") {
        var called = false;
        try {
          then.call(x,
            function (y) { if (!called) { called = true; resolvePromise(p, y); } },
            function (r) { if (!called) { called = true; settle(p, 2, r); } });
        } catch (e) {
          if (!called) { called = true; settle(p, 2, e); }
        }
        return;
      }
    }
    settle(p, 1, x);
  };
  hide(promiseProto, "then", function then(onFulfilled, onRejected) {
    var s = promiseStates.get(this);
    var next = newPromise();
    var reaction = { onFulfilled: onFulfilled, onRejected: onRejected, next: next };
    s.handled = true;
    if (s.state === 0) s.reactions.push(reaction); else runReaction(reaction, s);
    return next;
  });
  hide(promiseProto, "catch", function (onRejected) { return this.then(undefined, onRejected); });
  var PromiseW = function Promise(executor) {
    if (typeof executor !== "function") throw new R.TypeError("Promise executor is not a function");
    var p = newPromise();
    var done = false;
    try {
      executor(function (v) { if (!done) { done = true; resolvePromise(p, v); } },
               function (r) { if (!done) { done = true; settle(p, 2, r); } });
    } catch (e) {
      if (!done) { done = true; settle(p, 2, e); }
    }
    return p;
  };
  defineProperty(PromiseW, "prototype", { value: R.Object.create(null), writable: false });
  defineProperty(PromiseW, R.Symbol.hasInstance, { value: function (x) { return promiseStates.has(x); } });
  hide(promiseProto, "constructor", PromiseW);
  hide(PromiseW, "resolve", function resolve(v) {
    if (promiseStates.has(v)) return v;
    var p = newPromise();
    resolvePromise(p, v);
    return p;
  });
  hide(PromiseW, "reject", function reject(r) {
    var p = newPromise();
    settle(p, 2, r);
    return p;
  });
  hide(PromiseW, "all", function all(items) {
    return new PromiseW(function (resolve, reject) {
      var results = [];
      var remaining = items.length;
      if (remaining === 0) { resolve(results); return; }
      items.forEach(function (item, i) {
        PromiseW.resolve(item).then(function (v) {
          results[i] = v;
          if (--remaining === 0) resolve(results);
        }, reject);
      });
    });
  });
  hide(G, "Promise", PromiseW);

  var BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  hide(G, "btoa", function btoa(binary) {
    var s = R.String(binary), out = "";
    for (var i = 0; i < s.length; i += 3) {
      var a = s.charCodeAt(i) & 255, b = s.charCodeAt(i + 1) & 255, c = s.charCodeAt(i + 2) & 255;
      var n = (a << 16) | ((i + 1 < s.length ? b : 0) << 8) | (i + 2 < s.length ? c : 0);
      out += BASE64.charAt((n >> 18) & 63) + BASE64.charAt((n >> 12) & 63) +
        (i + 1 < s.length ? BASE64.charAt((n >> 6) & 63) : "=") + (i + 2 < s.length ? BASE64.charAt(n & 63) : "=");
    }
    return out;
  });
  hide(G, "atob", function atob(text) {
    var s = R.String(text).replace(/[^A-Za-z0-9+\/]/g, ""), out = "", bits = 0, acc = 0;
    for (var i = 0; i < s.length; i++) {
      acc = (acc << 6) | BASE64.indexOf(s.charAt(i));
      bits += 6;
      if (bits >= 8) { bits -= 8; out += R.String.fromCharCode((acc >> bits) & 255); }
    }
    return out;
  });
  hide(G, "global", G);

  var builtins = [];
  R.Object.getOwnPropertyNames(G).forEach(function (name) {
    var d = R.Object.getOwnPropertyDescriptor(G, name);
    if (d && isObject(d.value)) builtins.push(d.value);
  });
  builtins.push(promiseProto, JSONW, TypedArrayPrototype);
  R.Object.keys(R).forEach(function (name) {
    var value = R[name];
    if (typeof value === "function" && isObject(value.prototype)) builtins.push(value.prototype);
  });
  return {
    Error: R.Error, TypeError: R.TypeError, RangeError: R.RangeError, SyntaxError: R.SyntaxError,
    ReferenceError: R.ReferenceError, Uint8Array: R.Uint8Array, ArrayBuffer: R.ArrayBuffer, Array: R.Array,
    Object: R.Object, jsonParse: R.JSON.parse, jsonStringify: jsonStringify, builtins: builtins
  };
})`;
