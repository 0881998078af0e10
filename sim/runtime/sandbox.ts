import vm from "node:vm";
import { REALM_PRELUDE, type PreludeHooks, type PreludeKit } from "./realm-prelude.ts";
import { Realm } from "./realm.ts";

/**
 * One board's JavaScript world: a fresh V8 context reshaped into the Espruino interpreter's language
 * (see realm-prelude.ts), with none of Node's globals. The Espruino API is added by the board
 * (`define`), and the firmware bundle runs last (`run`).
 */
export class Sandbox {
  readonly realm: Realm;
  private readonly context: vm.Context;

  constructor(hooks: PreludeHooks) {
    this.context = vm.createContext({}, { codeGeneration: { strings: true, wasm: false } });
    const global = vm.runInContext("this", this.context) as Record<string, unknown>;
    const prelude = vm.runInContext(REALM_PRELUDE, this.context, { filename: "espruino-realm.js" }) as (this: unknown, hooks: PreludeHooks) => PreludeKit;
    this.realm = new Realm(global, prelude.call(global, hooks));
  }

  /** Adds a global the way the interpreter's built-ins appear: present, but not enumerable. */
  define(name: string, value: unknown): void {
    Object.defineProperty(this.realm.global, name, { value, writable: true, configurable: true, enumerable: false });
  }

  /** Runs a script at the top level and returns its completion value; exceptions propagate to the caller. */
  run(code: string, filename: string): unknown {
    return vm.runInContext(code, this.context, { filename });
  }
}
