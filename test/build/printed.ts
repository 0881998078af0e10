import vm from "node:vm";

/** What `code` prints, run in a fresh context with only `print` (the interpreter's console output). */
export function printedBy(code: string): string[] {
  const printed: string[] = [];
  vm.runInNewContext(code, { print: (...text: unknown[]) => printed.push(text.join(" ")) });
  return printed;
}
