/**
 * An estimate of the interpreter's JsVar use for what the firmware keeps alive.
 *
 * Espruino stores everything in fixed-size JsVars (12 to 16 bytes): an object or array costs one,
 * each property or element one more for its name (small integers, booleans and null live inside
 * it), a float or a string value extra (strings about one JsVar per 12 characters), an ArrayBuffer's
 * data about one per 12 bytes, a function its parameters, code and scope (see functionCost). The walk starts from the global object and
 * from what the API holds for the firmware (timer callbacks, socket handlers).
 *
 * Limits of the approximation: variables captured only by a closure are invisible to JavaScript
 * reflection, so state kept purely in closure scope (a bundle's IIFE locals) counts only through
 * the function text, not its values; name lengths and JsVar sizes vary between boards; built-ins
 * cost nothing (they live in the interpreter's flash). It is meant to show growth and leaks, and to
 * compare against the board's budget with headroom, not to match a board to the JsVar.
 */

const CHARS_PER_JSVAR = 12;
/** A property name this short fits in its own JsVar. */
const INLINE_NAME_CHARS = 8;

export interface JsVarUsage {
  usage: number;
  total: number;
}

export interface JsVarRoots {
  /** The sandbox's global object. */
  global: object;
  /** Global names present before the firmware ran, with their values then: not the firmware's. */
  baseline: ReadonlyMap<string, unknown>;
  /** Values held outside the global object. */
  extra: Iterable<unknown>;
  /** Objects that cost nothing (built-ins, API objects). */
  free: ReadonlySet<object>;
  /**
   * Count a function's code as one native string pointing into flash, as on a board that runs a
   * program saved to Storage; otherwise the code text is in RAM.
   */
  codeInFlash?: boolean;
}

function stringCost(text: string): number {
  return Math.max(1, Math.ceil(text.length / CHARS_PER_JSVAR));
}

function nameCost(name: string): number {
  return name.length <= INLINE_NAME_CHARS ? 1 : 1 + Math.ceil((name.length - INLINE_NAME_CHARS) / CHARS_PER_JSVAR);
}

function valueCost(value: unknown): number {
  if (typeof value === "number") return Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff ? 0 : 1;
  if (typeof value === "string") return stringCost(value);
  return 0;
}

const functionCode = new WeakMap<object, number>();

/**
 * A function as the interpreter stores it (Espruino src/jsparse.c, jspeFunctionArguments and
 * jspeFunctionDefinitionInternal): the function itself, one child per parameter, a ">cod" child
 * holding the code and a ">sco" child linking the enclosing scope (every function of a bundle is
 * made inside its top-level function). The code is a string in RAM when the program was uploaded,
 * and a single native string pointing into flash when it runs from a program saved to Storage.
 * A host-made function is part of the simulated API: native code on a board, one JsVar.
 */
function functionCost(fn: object, codeInFlash: boolean): number {
  if (fn instanceof Function) return 1;
  const params = (fn as { length: number }).length;
  if (codeInFlash) return FUNCTION_JSVARS + params + 1;
  let code = functionCode.get(fn);
  if (code === undefined) {
    const text = Function.prototype.toString.call(fn);
    code = text.endsWith("{ [native code] }") ? 0 : stringCost(text);
    functionCode.set(fn, code);
  }
  return FUNCTION_JSVARS + params + code;
}

/** The function, its ">cod" and ">sco" names. */
const FUNCTION_JSVARS = 3;

/**
 * A function's `prototype` object exists on a board only once something reads it: the interpreter
 * makes it on first access (src/jsparse.c, jspGetNamedFieldInParents: "If not found and is the
 * prototype, create it"). A host engine makes one for every ES5 function; one that holds nothing
 * but its `constructor` was never touched and is not counted.
 */
function untouchedPrototype(fn: object, value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const names = Object.getOwnPropertyNames(value);
  return names.length === 0 || (names.length === 1 && names[0] === "constructor" && (value as { constructor: unknown }).constructor === fn);
}

function isBinary(value: object): boolean {
  return ArrayBuffer.isView(value) || Object.prototype.toString.call(value) === "[object ArrayBuffer]";
}

function binaryCost(value: object, seen: Set<object>): number {
  if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer;
    if (seen.has(buffer)) return 1;
    seen.add(buffer);
    return 2 + Math.ceil(buffer.byteLength / CHARS_PER_JSVAR);
  }
  return 1 + Math.ceil((value as ArrayBuffer).byteLength / CHARS_PER_JSVAR);
}

/** The host's own prototypes, reached through API functions and objects the host made. */
const HOST_PROTOTYPES: readonly object[] = [
  Object.prototype, Function.prototype, Array.prototype, Object.getPrototypeOf(Uint8Array.prototype) as object,
  Uint8Array.prototype, ArrayBuffer.prototype, Error.prototype,
];

/** Estimated JsVars held by the given roots. */
export function estimateJsVars(roots: JsVarRoots): number {
  const seen = new Set<object>([...roots.free, ...HOST_PROTOTYPES]);
  const pending: object[] = [];
  let total = 0;
  const visit = (value: unknown) => {
    if ((typeof value === "object" && value !== null) || typeof value === "function") {
      if (!seen.has(value)) {
        seen.add(value);
        pending.push(value);
      }
    }
  };
  const walkProperties = (obj: object, skip: (name: string, value: unknown) => boolean) => {
    const isArray = Array.isArray(obj);
    const isFunction = typeof obj === "function";
    for (const name of Object.getOwnPropertyNames(obj)) {
      if ((isArray && name === "length") || (isFunction && (name === "length" || name === "name"))) continue;
      const descriptor = Object.getOwnPropertyDescriptor(obj, name)!;
      if (isFunction && name === "prototype" && untouchedPrototype(obj, descriptor.value)) continue;
      if (skip(name, descriptor.value)) continue;
      total += isArray && /^\d+$/.test(name) ? 1 : nameCost(name);
      if ("value" in descriptor) {
        total += valueCost(descriptor.value);
        visit(descriptor.value);
      }
    }
  };

  seen.add(roots.global);
  walkProperties(roots.global, (name, value) => roots.baseline.has(name) && roots.baseline.get(name) === value);
  for (const value of roots.extra) {
    total += valueCost(value);
    visit(value);
  }
  while (pending.length > 0) {
    const obj = pending.pop()!;
    if (isBinary(obj)) {
      total += binaryCost(obj, seen);
      continue;
    }
    total += typeof obj === "function" ? functionCost(obj, roots.codeInFlash === true) : 1;
    walkProperties(obj, () => false);
    visit(Object.getPrototypeOf(obj));
  }
  return total;
}

/** Samples the estimate against the board's budget and remembers the peak. */
export class JsVarMeter {
  private peakUsage = 0;

  constructor(
    readonly total: number,
    private readonly roots: () => JsVarRoots,
  ) {}

  sample(): JsVarUsage {
    const usage = estimateJsVars(this.roots());
    this.peakUsage = Math.max(this.peakUsage, usage);
    return { usage, total: this.total };
  }

  peak(): number {
    return this.peakUsage;
  }
}
