import MagicString from "magic-string";
import { parseEs5, walk, type Node } from "./es5-tree.ts";

// Two references TypeScript's ES5 output repeats and terser cannot shorten, because each is a
// property access or a keyword rather than a name: `C.prototype` in front of every method of a class
// and `this` in every method. Each becomes a local variable that terser then renames to one letter.
// Both are plain ES5 (`var p = C.prototype;`, `var s = this;`), so the interpreter runs them as is.

/** `this` is four bytes and a local one: from this many uses in one function on, the alias pays for its declaration. */
const THIS_USES_WORTH_ALIAS = 4;
const PROTOTYPE_ALIAS = "$proto";
const THIS_ALIAS = "$this";

/**
 * Rewrites `code` (rollup's ES5 bundle, before terser) so that each class's methods are assigned
 * through one `var` holding its prototype, and each function that uses `this` often reaches it
 * through one `var`. Behaviour is unchanged: the prototype alias is taken after `__extends` has
 * replaced the prototype, and a function's `this` alias is its first statement.
 */
export function shortenReferences(code: string): string {
  const program = parseEs5(code);
  for (const name of [PROTOTYPE_ALIAS, THIS_ALIAS]) {
    if (code.includes(name)) throw new Error(`the bundle already uses the name prefix ${name}, which scripts/build/short-references.ts reserves for its aliases`);
  }
  const out = new MagicString(code);
  let serial = 0;
  walk(program, (node) => {
    if (node.type !== "FunctionDeclaration" && node.type !== "FunctionExpression") return;
    const body = (node.body as Node & { body: Node[] }).body;
    aliasPrototypes(body, out, () => serial++);
    aliasThis(body, out, () => serial++);
  });
  return out.toString();
}

/** In a class body (a function declaring `function C` and assigning `C.prototype.m = ...`), one alias for `C.prototype`. */
function aliasPrototypes(body: Node[], out: MagicString, next: () => number): void {
  for (const decl of body) {
    if (decl.type !== "FunctionDeclaration") continue;
    const className = (decl.id as { name: string }).name;
    const uses: Node[] = [];
    let first = -1;
    body.forEach((statement, index) => {
      if (statement === decl) return;
      const before = uses.length;
      walk(statement, (n) => {
        if (isPrototypeOf(n, className)) uses.push(n);
      });
      if (first < 0 && uses.length > before) first = index;
    });
    // `var X=C.prototype;` (about 18 bytes minified) against `C.prototype` → `X` (10 bytes each)
    if (uses.length < 3) continue;
    const alias = `${PROTOTYPE_ALIAS}${next()}`;
    out.appendLeft(body[first].start, `var ${alias} = ${className}.prototype;\n`);
    for (const use of uses) out.overwrite(use.start, use.end, alias);
  }
}

function isPrototypeOf(n: Node, className: string): boolean {
  if (n.type !== "MemberExpression" || n.computed === true) return false;
  const object = n.object as Node & { name?: string };
  const property = n.property as Node & { name?: string };
  return object.type === "Identifier" && object.name === className && property.type === "Identifier" && property.name === "prototype";
}

/** One `var` for `this` in a function that uses its own `this` often enough. */
function aliasThis(body: Node[], out: MagicString, next: () => number): void {
  const uses: Node[] = [];
  for (const statement of body) {
    walk(statement, (n) => {
      if (n.type === "ThisExpression") uses.push(n);
      // a nested function has its own `this`
      return n.type !== "FunctionDeclaration" && n.type !== "FunctionExpression";
    });
  }
  if (uses.length < THIS_USES_WORTH_ALIAS || body.length === 0) return;
  const alias = `${THIS_ALIAS}${next()}`;
  out.appendLeft(body[0].start, `var ${alias} = this;\n`);
  for (const use of uses) out.overwrite(use.start, use.end, alias);
  
}
