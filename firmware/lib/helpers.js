// The helpers TypeScript's ES5 output calls (the build compiles with noEmitHelpers and no tslib).
// The build places this file at the top of the bundle, so each helper is assigned before any
// module code runs: Espruino parses as it executes and does not hoist. Nothing here looks a
// method up on a built-in prototype (Espruino has none) or uses syntax beyond ES5.
// A helper TypeScript emits that is missing here shows up as an unknown global in the bundle
// check, which is how features the interpreter cannot run (async functions, generators,
// decorators, #private fields, tagged templates) are kept out of the firmware.

// `class D extends B`: statics through the constructor's prototype chain (Object.setPrototypeOf
// where the engine has it, __proto__ otherwise), instances through D.prototype.
var __extends = function (d, b) {
  if (typeof b !== "function" && b !== null) {
    throw new TypeError("Class extends value " + String(b) + " is not a constructor or null");
  }
  if (typeof Object.setPrototypeOf === "function") {
    Object.setPrototypeOf(d, b);
  } else {
    d.__proto__ = b;
  }
  d.prototype = Object.create(b === null ? null : b.prototype);
  d.prototype.constructor = d;
};

// Object spread `{ ...a, b: 1 }`: own enumerable properties, later sources win.
var __assign = function (target) {
  for (var i = 1; i < arguments.length; i++) {
    var source = arguments[i];
    if (source === null || source === undefined) continue;
    var keys = Object.keys(source);
    for (var k = 0; k < keys.length; k++) target[keys[k]] = source[keys[k]];
  }
  return target;
};

// Object rest `const { a, ...rest } = o`: own enumerable properties not named in `excluded`.
var __rest = function (source, excluded) {
  var rest = {};
  var keys = Object.keys(source);
  for (var k = 0; k < keys.length; k++) {
    if (excluded.indexOf(keys[k]) < 0) rest[keys[k]] = source[keys[k]];
  }
  return rest;
};

// Array spread `[...a, ...b]` and `f(...args)` over arrays, strings and typed arrays.
var __spreadArray = function (to, from) {
  for (var i = 0; i < from.length; i++) to.push(from[i]);
  return to;
};
