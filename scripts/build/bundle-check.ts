import { parse } from "acorn";
import { analyze, type Reference, type Scope, type ScopeManager, type Variable } from "eslint-scope";
import type * as ESTree from "estree";
import { ABSENT_METHODS, ABSENT_STATICS, BUILTIN_CONSTRUCTORS } from "./espruino-absent-members.ts";
import { ABSENT_GLOBAL_ADVICE, ESPRUINO_GLOBALS, UNSUPPORTED_HELPERS } from "./espruino-globals.ts";

/** One reason a bundle would fail on the Espruino interpreter although it runs in Node. */
export interface BundleProblem {
  rule: "syntax" | "use-before-declaration" | "global" | "forbidden-member" | "math-pow";
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

type Located = { loc?: ESTree.SourceLocation | null };

/**
 * Checks a built bundle against what ../shared/espruino-subset.md says the interpreter accepts.
 * Returns every problem found, in source order; an empty list means the bundle passed.
 */
export function checkBundle(code: string): BundleProblem[] {
  let program: ESTree.Program;
  try {
    program = parse(code, { ecmaVersion: 5, sourceType: "script", locations: true, ranges: true }) as unknown as ESTree.Program;
  } catch (err) {
    return [syntaxProblem(err)];
  }
  const scopes = analyze(program, { ecmaVersion: 5, sourceType: "script" });
  const globalRefs = new Set<ESTree.Identifier>(scopes.globalScope!.through.map((ref) => ref.identifier as ESTree.Identifier));
  const problems = [
    ...useBeforeDeclaration(scopes),
    ...unknownGlobals(scopes.globalScope!),
    ...memberProblems(program, globalRefs),
  ];
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

function at(node: Located): { line: number; column: number } {
  return { line: node.loc!.start.line, column: node.loc!.start.column + 1 };
}

function syntaxProblem(err: unknown): BundleProblem {
  const loc = (err as { loc?: { line: number; column: number } }).loc;
  if (!(err instanceof SyntaxError) || loc === undefined) throw err;
  const reason = err.message.replace(/ \(\d+:\d+\)$/, "");
  return {
    rule: "syntax",
    message: `${reason}: Espruino accepts ES5 syntax here (compile with target ES5 and keep firmware/lib/helpers.js ES5)`,
    line: loc.line,
    column: loc.column + 1,
  };
}

/**
 * Espruino parses as it executes and does not hoist: a name means nothing until the interpreter
 * has run past its declaration. So, within one function body (or the top level), a reference that
 * comes textually before the first declaration of the variable it resolves to reads undefined or
 * throws: `f(); function f() {}`, `var x = g(); var g = function () {};`. A `var` counts as
 * declared where its name is written, a function declaration where its name is written, a
 * parameter at the parameter list; a catch block belongs to the body around it.
 *
 * References from a nested function are not judged: whether they run before the declaration
 * depends on when the function is called (a callback, a method, mutual recursion), which this
 * check cannot know. terser's hoist_funs moves function declarations to the top of each body,
 * which is what makes TypeScript's class output (`__extends(D, _super); function D() {}`) pass.
 */
function useBeforeDeclaration(scopes: ScopeManager): BundleProblem[] {
  const problems: BundleProblem[] = [];
  for (const scope of scopes.scopes) {
    for (const ref of scope.references) {
      const variable = ref.resolved;
      if (variable === null || variable.defs.length === 0) continue;
      if (variable.scope.variableScope !== ref.from.variableScope) continue;
      const declaration = firstDeclaration(variable);
      if (ref.identifier.range![0] >= declaration.range![0]) continue;
      const declaredAt = at(declaration as Located);
      problems.push({
        rule: "use-before-declaration",
        message:
          `"${variable.name}" is used before its declaration at ${declaredAt.line}:${declaredAt.column} in the same function: ` +
          "Espruino does not hoist, so it does not exist yet here; declare it above its first use",
        ...at(ref.identifier as Located),
      });
    }
  }
  return problems;
}

function firstDeclaration(variable: Variable): ESTree.Node {
  let first = variable.defs[0]!.name as ESTree.Node;
  for (const def of variable.defs) {
    if (def.name.range![0] < first.range![0]) first = def.name as ESTree.Node;
  }
  return first;
}

function unknownGlobals(globalScope: Scope): BundleProblem[] {
  const problems: BundleProblem[] = [];
  for (const ref of globalScope.through) {
    const name = ref.identifier.name;
    if (ESPRUINO_GLOBALS.has(name)) continue;
    problems.push({ rule: "global", message: globalMessage(name, ref), ...at(ref.identifier as Located) });
  }
  return problems;
}

function globalMessage(name: string, ref: Reference): string {
  const feature = lookup(UNSUPPORTED_HELPERS, name);
  if (feature !== undefined) {
    return `"${name}" is a TypeScript helper for ${feature}, which Espruino cannot run; firmware/lib/helpers.js leaves it out on purpose: rewrite without ${feature}`;
  }
  if (name.startsWith("__")) {
    return `"${name}" looks like a TypeScript helper the bundle does not define: build with scripts/build/bundle.ts, which puts firmware/lib/helpers.js first`;
  }
  const advice = lookup(ABSENT_GLOBAL_ADVICE, name);
  if (advice !== undefined) return `"${name}" does not exist on Espruino: ${advice}`;
  if (ref.isWrite()) return `"${name}" is assigned but never declared, which makes it a global: declare it with var, let or const`;
  return `"${name}" is not declared in the bundle and is not an Espruino global (scripts/build/espruino-globals.ts): declare or import it, or use a built-in Espruino has`;
}

type Visit = { node: ESTree.Node; parent: ESTree.Node | null };

/** Own entries only, so names such as "constructor" or "toString" do not find Object.prototype's. */
function lookup(table: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function memberProblems(program: ESTree.Program, globalRefs: ReadonlySet<ESTree.Identifier>): BundleProblem[] {
  const problems: BundleProblem[] = [];
  const globalName = (node: ESTree.Node): string | null =>
    node.type === "Identifier" && globalRefs.has(node) ? node.name : null;

  walk(program, null, ({ node, parent }) => {
    if (node.type === "MemberExpression") {
      const object = globalName(node.object);
      const property = memberName(node);
      if (object === null || property === null) return;
      if (property === "prototype" && BUILTIN_CONSTRUCTORS.has(object)) {
        problems.push(prototypeProblem(object, node, parent));
      }
      const advice = lookup(ABSENT_STATICS, `${object}.${property}`);
      if (advice !== undefined) {
        problems.push({ rule: "forbidden-member", message: `${object}.${property} does not exist on Espruino: ${advice}`, ...at(node) });
      }
    } else if (node.type === "CallExpression" && node.callee.type === "MemberExpression") {
      const method = memberName(node.callee);
      const advice = method === null ? undefined : lookup(ABSENT_METHODS, method);
      if (advice !== undefined) {
        problems.push({ rule: "forbidden-member", message: `.${method}() does not exist on Espruino: ${advice}`, ...at(node.callee.property) });
      }
      if (method === "pow" && globalName(node.callee.object) === "Math") {
        const problem = powProblem(node);
        if (problem !== null) problems.push(problem);
      }
    }
  });
  return problems;
}

function prototypeProblem(object: string, node: ESTree.MemberExpression, parent: ESTree.Node | null): BundleProblem {
  const method = parent?.type === "MemberExpression" && parent.object === node ? memberName(parent) : null;
  const accessed = method === null ? `${object}.prototype` : `${object}.prototype.${method}`;
  return {
    rule: "forbidden-member",
    message:
      `${accessed} is undefined on Espruino, whose built-in prototypes carry no methods: ` +
      `call the method on an instance (for example [].slice.call(arguments)) or write a loop`,
    ...at(node),
  };
}

/**
 * Espruino's Math.pow is approximate once the exponent reaches 10 (Math.pow(2, 32) gives
 * 4294967295.99999666), so only literal exponents below 10, or fractional ones, are accepted.
 */
function powProblem(call: ESTree.CallExpression): BundleProblem | null {
  const [base, exponent] = call.arguments;
  const advice = "use an exact constant, a shift, or DataView";
  if (exponent?.type === "Literal" && typeof exponent.value === "number") {
    const n = exponent.value;
    if (!Number.isInteger(n) || n < 10) return null;
    const exact = base?.type === "Literal" && typeof base.value === "number" ? base.value ** n : null;
    const suggestion = exact !== null && Number.isSafeInteger(exact) ? ` (write ${exact})` : "";
    return {
      rule: "math-pow",
      message: `Math.pow with exponent ${n} is inexact on Espruino for exponents of 10 and more: ${advice}${suggestion}`,
      ...at(call),
    };
  }
  return {
    rule: "math-pow",
    message: `Math.pow with an exponent that is not a literal cannot be proven exact on Espruino (inexact for exponents of 10 and more): ${advice}`,
    ...at(call),
  };
}

function memberName(node: ESTree.MemberExpression): string | null {
  if (!node.computed && node.property.type === "Identifier") return node.property.name;
  if (node.computed && node.property.type === "Literal" && typeof node.property.value === "string") return node.property.value;
  return null;
}

function walk(node: ESTree.Node, parent: ESTree.Node | null, visit: (at: Visit) => void): void {
  visit({ node, parent });
  for (const [key, value] of Object.entries(node)) {
    if (key === "loc" || key === "range") continue;
    if (Array.isArray(value)) {
      for (const child of value) if (isNode(child)) walk(child, node, visit);
    } else if (isNode(value)) {
      walk(value, node, visit);
    }
  }
}

function isNode(value: unknown): value is ESTree.Node {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}
