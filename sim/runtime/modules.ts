import type { BoardHost } from "./host.ts";

/**
 * require(name) for the built-in modules the firmware uses. Modules are made on first use and
 * cached for the boot, as the interpreter does; any other name throws the interpreter's error.
 */
export function createRequire(host: BoardHost, factories: Readonly<Record<string, () => object>>, onLoad: (module: object) => void): (name: unknown) => object {
  const cache = new Map<string, object>();
  return (name: unknown) => {
    if (typeof name !== "string") throw host.realm.error("TypeError", `Expecting a module name as a string, but got ${typeof name}`);
    let module = cache.get(name);
    if (module === undefined) {
      const factory = Object.hasOwn(factories, name) ? factories[name] : undefined;
      if (factory === undefined) throw host.realm.error("Error", `Module ${JSON.stringify(name)} not found`);
      module = factory();
      cache.set(name, module);
      onLoad(module);
    }
    return module;
  };
}
