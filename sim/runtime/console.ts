import type { BoardHost } from "./host.ts";
import { espruinoNumberToString } from "./number-format.ts";

/** print() and console.log(): arguments joined by spaces, numbers as the interpreter prints them. */
export function formatForPrint(host: BoardHost, values: readonly unknown[]): string {
  return values
    .map((value) => {
      if (typeof value === "string") return value;
      if (typeof value === "number") return espruinoNumberToString(value);
      if (value === undefined || typeof value === "function" || typeof value === "boolean" || value === null) return String(value);
      return host.realm.stringifyJSON(value) ?? String(value);
    })
    .join(" ");
}

export function installConsole(host: BoardHost, define: (name: string, value: unknown) => void): void {
  const print = (...values: unknown[]) => host.print(formatForPrint(host, values));
  define("print", print);
  define("console", host.realm.object({ log: print }));
}
