import { tokenizer } from "acorn";

/**
 * Whether the console must wait for more lines before running what it has, as the interpreter's
 * console does (jsiCountBracketsInInput in jsinteractive.c): while brackets are open, or a string,
 * template or comment is still open, a newline only continues the statement. Anything else, even a
 * statement that will not parse, is complete: running it reports the SyntaxError.
 */
export function needsMoreInput(code: string): boolean {
  let depth = 0;
  try {
    // The newest grammar, so code the interpreter refuses is still split where it would split it.
    for (const token of tokenizer(code, { ecmaVersion: "latest" })) {
      const label = token.type.label;
      if (label === "(" || label === "[" || label === "{" || label === "${") depth++;
      else if (label === ")" || label === "]" || label === "}") depth--;
    }
  } catch (err) {
    return err instanceof SyntaxError && /^Unterminated/.test(err.message);
  }
  return depth > 0;
}
