import { espruinoNumberToString } from "../runtime/number-format.ts";

/** Deeper structures are cut short, as the interpreter's JSON_LIMIT does. */
const MAX_DEPTH = 4;
const MAX_ITEMS = 20;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * A value as the interpreter's console shows it after `=` (jsfPrintJSON with JSON_PRETTY and
 * JSON_DROP_QUOTES in 2v29): numbers in its own format, strings quoted, objects as
 * `{ a: 1, "b-c": "x" }`, arrays as `[ 1, 2 ]`, typed arrays as `new Uint8Array([1, 2])`.
 */
export function formatConsoleValue(value: unknown, depth = 0): string {
  switch (typeof value) {
    case "number":
      return espruinoNumberToString(value);
    case "string":
      return JSON.stringify(value);
    case "function":
      return Function.prototype.toString.call(value);
    case "object":
      return value === null ? "null" : formatObject(value, depth);
    default:
      return String(value);
  }
}

function formatObject(value: object, depth: number): string {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const items = Array.from(value as unknown as ArrayLike<number>, (n) => espruinoNumberToString(n));
    return `new ${value.constructor.name}([${items.join(", ")}])`;
  }
  const isArray = Array.isArray(value);
  // The board's arrays have no keys() (the interpreter lacks it), so indices are counted here.
  const keys = isArray ? Array.from({ length: (value as unknown[]).length }, (_, i) => String(i)) : Object.keys(value);
  const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
  if (keys.length === 0) return `${open} ${close}`;
  if (depth >= MAX_DEPTH) return `${open} ... ${close}`;
  const shown = keys.slice(0, MAX_ITEMS).map((key) => {
    const item = formatConsoleValue((value as Record<string, unknown>)[key], depth + 1);
    return isArray ? item : `${IDENTIFIER.test(key) ? key : JSON.stringify(key)}: ${item}`;
  });
  if (keys.length > MAX_ITEMS) shown.push("...");
  return `${open} ${shown.join(", ")} ${close}`;
}
