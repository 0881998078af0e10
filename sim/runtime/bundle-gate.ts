import { parse } from "acorn";
import { checkBundle } from "../../scripts/build/bundle-check.ts";

/**
 * What the interpreter would refuse before V8 gets to see the bundle: syntax beyond ES5 (the bundle
 * is compiled to ES5; destructuring, spread, default parameters are SyntaxErrors on the board), and a
 * name used before its declaration in the same function, which the interpreter, having no hoisting,
 * reports as "<name> is not defined".
 */
export interface LoadRefusal {
  name: "SyntaxError" | "ReferenceError";
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export function refuseBundle(code: string): LoadRefusal | undefined {
  try {
    parse(code, { ecmaVersion: 5, sourceType: "script" });
  } catch (err) {
    const loc = (err as { loc?: { line: number; column: number } }).loc;
    if (!(err instanceof SyntaxError) || loc === undefined) throw err;
    const reason = err.message.replace(/ \(\d+:\d+\)$/, "");
    return { name: "SyntaxError", message: `${reason} at line ${loc.line} col ${loc.column + 1}`, line: loc.line, column: loc.column + 1 };
  }
  const early = checkBundle(code).find((p) => p.rule === "use-before-declaration");
  if (early === undefined) return undefined;
  const name = identifierAt(code, early.line, early.column);
  return { name: "ReferenceError", message: `${name} is not defined`, line: early.line, column: early.column };
}

function identifierAt(code: string, line: number, column: number): string {
  const text = code.split("\n")[line - 1] ?? "";
  const match = /^[A-Za-z_$][\w$]*/.exec(text.slice(column - 1));
  if (match === null) throw new Error(`bundle check reported a use before declaration at ${line}:${column}, where there is no identifier`);
  return match[0];
}
