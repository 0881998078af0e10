// The globals a firmware bundle may reference: what ../shared/espruino-subset.md ("What the
// Espruino interpreter really accepts", measured on Espruino 2v29) lists as present, the names
// firmware/espruino.d.ts declares, and the pin objects boards expose. Anything else is treated
// as absent, as the subset document advises ("when in doubt, assume a feature is missing").

const RUNTIME = [
  // Timing, identity and output ("Runtime APIs").
  "getTime", "getSerial", "setInterval", "setTimeout", "clearInterval", "clearTimeout", "print", "console",
  // Modules, the Espruino object, the global object and process.env / process.memory().
  "require", "E", "global", "process",
  // Peripherals and pins.
  "I2C1", "I2C2", "I2C3", "SPI1", "SPI2", "SPI3", "Serial1", "Serial2", "USB", "Bluetooth", "LoopbackA", "LoopbackB", "NRF",
  "analogRead", "analogWrite", "digitalRead", "digitalWrite", "pinMode", "Pin", "I2C", "SPI", "Serial", "Waveform",
  "LED1", "LED2", "LED3", "BTN", "BTN1",
];

const LANGUAGE = [
  // "Built-ins: present".
  "Math", "JSON", "Date", "Object", "Array", "String", "Number", "Boolean", "Error", "TypeError", "RangeError",
  "Promise", "RegExp", "parseInt", "parseFloat", "isNaN", "isFinite", "btoa",
  "DataView", "ArrayBuffer", "Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array",
  "Float32Array", "Float64Array", "Uint8ClampedArray",
  "undefined", "NaN", "Infinity",
];

function pins(port: string, count: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < count; i++) names.push(port + i);
  return names;
}

/** Every global name a bundle may use without declaring it. `arguments` is not here: scope analysis binds it inside functions. */
export const ESPRUINO_GLOBALS: ReadonlySet<string> = new Set([
  ...RUNTIME,
  ...LANGUAGE,
  ...pins("D", 48),
  ...pins("A", 16),
  ...pins("B", 16),
  ...pins("C", 16),
]);

/** What to use instead of globals that Node has and Espruino lacks, for the bundle check's messages. */
export const ABSENT_GLOBAL_ADVICE: Readonly<Record<string, string>> = {
  Map: "use a plain object keyed by string, or parallel arrays",
  Set: "use a plain object keyed by string, or an array with indexOf",
  WeakMap: "store the value on the object itself",
  WeakSet: "mark the object with a property",
  Symbol: "use a string property name",
  Proxy: "write the accessors out",
  Reflect: "call Object.keys/Object.defineProperty directly",
  TextEncoder: "strings are byte strings: use E.toUint8Array",
  TextDecoder: "strings are byte strings: use E.toString",
  BigInt: "split 64-bit values into two 32-bit halves with DataView",
  BigInt64Array: "split 64-bit values into two 32-bit halves with DataView",
  BigUint64Array: "split 64-bit values into two 32-bit halves with DataView",
  globalThis: "use `global`",
  window: "use `global`",
  self: "use `global`",
  queueMicrotask: "use setTimeout(fn, 0)",
  setImmediate: "use setTimeout(fn, 0)",
  structuredClone: "copy the fields explicitly",
};

/** TypeScript helpers that firmware/lib/helpers.js leaves out on purpose, with the source feature that needs them. */
export const UNSUPPORTED_HELPERS: Readonly<Record<string, string>> = {
  __awaiter: "async functions",
  __generator: "async functions or generators",
  __await: "async generators",
  __asyncGenerator: "async generators",
  __asyncDelegator: "async generators",
  __asyncValues: "for await...of",
  __values: "for...of over a non-array (downlevelIteration)",
  __read: "destructuring or spread of a non-array (downlevelIteration)",
  __spreadArrays: "spread with an old TypeScript helper",
  __makeTemplateObject: "tagged templates",
  __classPrivateFieldGet: "#private fields",
  __classPrivateFieldSet: "#private fields",
  __classPrivateFieldIn: "#private fields",
  __decorate: "decorators",
  __param: "parameter decorators",
  __metadata: "decorator metadata",
  __esDecorate: "decorators",
  __runInitializers: "decorators",
  __setFunctionName: "decorators or static blocks",
  __propKey: "decorators with computed names",
  __addDisposableResource: "`using` declarations",
  __disposeResources: "`using` declarations",
  __createBinding: "CommonJS interop",
  __exportStar: "CommonJS interop",
  __importStar: "CommonJS interop",
  __importDefault: "CommonJS interop",
};
