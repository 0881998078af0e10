import { parse } from "acorn";

// The bundle as a syntax tree, for the build's rewrites before terser (short-references.ts,
// member-names.ts): acorn's ES5 nodes with their source positions.

export type Node = { type: string; start: number; end: number; [key: string]: unknown };

export function parseEs5(code: string): Node {
  return parse(code, { ecmaVersion: 5 }) as unknown as Node;
}

/** Visits every node below `node`, parents first; `visit` returning false skips the node's children. */
export function walk(node: Node, visit: (n: Node) => boolean | void): void {
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (Array.isArray(value)) {
      for (const child of value) if (isNode(child) && visit(child) !== false) walk(child, visit);
    } else if (isNode(value) && visit(value) !== false) {
      walk(value, visit);
    }
  }
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && typeof (value as Node).type === "string";
}
