import type { PreludeKit } from "./realm-prelude.ts";

/**
 * Makes values that belong to a board's sandbox. Anything the Espruino API hands to firmware (errors,
 * byte arrays, arrays, parsed JSON) must come from here: a host-made Uint8Array or Error is not
 * `instanceof` the sandbox's constructors, which firmware would notice.
 */
export type ErrorName = "Error" | "TypeError" | "RangeError" | "SyntaxError" | "ReferenceError";

export class Realm {
  private readonly bytesPrototype: object;

  constructor(
    /** The sandbox's global object. */
    readonly global: Record<string, unknown>,
    private readonly kit: PreludeKit,
  ) {
    this.bytesPrototype = kit.Uint8Array.prototype;
  }

  error(name: ErrorName, message: string): Error {
    return new this.kit[name](message);
  }

  bytes(data: ArrayLike<number>): Uint8Array {
    const out = new this.kit.Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = data[i]!;
    return out;
  }

  /** True for a plain Uint8Array of this sandbox (a cheaper test than its toStringTag, on every bus transaction). */
  isBytes(value: unknown): value is Uint8Array {
    return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === this.bytesPrototype;
  }

  arrayBuffer(data: Uint8Array): ArrayBuffer {
    return this.bytes(data).buffer as ArrayBuffer;
  }

  array<T>(items: readonly T[]): T[] {
    const out = new this.kit.Array<T>();
    for (const item of items) out.push(item);
    return out;
  }

  /** A plain object of the sandbox with the given properties. */
  object<T extends object>(props: T): T {
    return this.kit.Object.assign(new this.kit.Object(), props) as T;
  }

  /** The sandbox's JSON.parse: its errors are the sandbox's SyntaxErrors. */
  parseJSON(text: string): unknown {
    return this.kit.jsonParse(text);
  }

  /** The sandbox's JSON.stringify, with the interpreter's number formatting. */
  stringifyJSON(value: unknown): string | undefined {
    return this.kit.jsonStringify(value);
  }

  /** Objects of the realm itself (built-ins), which do not count as firmware memory. */
  builtins(): readonly object[] {
    return this.kit.builtins;
  }
}
