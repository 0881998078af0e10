// Properties of built-ins that Espruino does not have, with what to write instead.
// Source: ../shared/espruino-subset.md, "Built-ins" (absent column) and "Semantics".

/**
 * Constructors whose `prototype` carries no methods on Espruino: methods exist only on instances,
 * so `Array.prototype.slice.call(arguments)` calls undefined.
 */
export const BUILTIN_CONSTRUCTORS: ReadonlySet<string> = new Set([
  "Array", "Object", "String", "Number", "Function", "Boolean", "Date", "RegExp", "Promise", "Error",
  "ArrayBuffer", "DataView", "Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array",
  "Float32Array", "Float64Array", "Uint8ClampedArray",
]);

/** Static members that are undefined on Espruino, keyed `Object.member`. */
export const ABSENT_STATICS: Readonly<Record<string, string>> = {
  "Object.freeze": "leave the object unfrozen and keep it private to its module",
  "Array.from": "copy with a for loop, or call .slice() on the array or typed array",
  "Array.of": "use an array literal",
  "Number.isInteger": "use Math.floor(x) === x",
  "Number.isNaN": "use x !== x, or the global isNaN",
  "Number.isFinite": "use the global isFinite",
  "Number.MAX_SAFE_INTEGER": "write the constant 9007199254740991",
  "Number.EPSILON": "write the constant 2.220446049250313e-16",
  "Math.fround": "round through a Float32Array element",
  "Math.trunc": "use x < 0 ? Math.ceil(x) : Math.floor(x), or x | 0 within 32 bits",
  "Math.log2": "use shifts for powers of two, or Math.log(x) / Math.LN2",
  "Math.hypot": "use Math.sqrt(x * x + y * y)",
  "Math.clz32": "count with a shift loop",
  "String.raw": "write the string with escaped backslashes",
};

/** Instance methods that are undefined on Espruino whatever object they are called on. */
export const ABSENT_METHODS: Readonly<Record<string, string>> = {
  finally: "run the cleanup in both the then and the catch handler",
  codePointAt: "strings are byte strings: use charCodeAt",
  flat: "concatenate the inner arrays in a loop",
  flatMap: "map, then concatenate the results in a loop",
};
