import MagicString from "magic-string";
import { parseEs5, walk, type Node } from "./es5-tree.ts";

// Short names for the class members scripts/build/private-names.ts proved private, given by how
// often each is used: the most used get one letter. terser's own property mangler names them in
// the order it meets them, so a member used twenty times can get two letters while one used once
// gets one; on the mdbt42q bundle ordering by use saves about 300 bytes.

const FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$";
const NEXT = FIRST + "0123456789";
/** Words a short name must never be, whatever the bundle uses. */
const RESERVED = new Set(["do", "if", "in", "of", "as", "is"]);

/**
 * Renames every `x.member` (non-computed) whose name is in `privateNames`, the most used first to
 * the shortest names. A new name is never a property name the bundle uses otherwise (a member, an
 * object key or a string that may be one), nor any private name, so a renamed member meets no other
 * property; built-in members are all longer than the two letters these names reach.
 */
export function shortenMembers(code: string, privateNames: string[]): string {
  const program = parseEs5(code);
  const wanted = new Set(privateNames);
  const uses = new Map<string, Node[]>();
  // every other property name the bundle could reach: members, object keys, strings (computed keys)
  const taken = new Set<string>([...RESERVED, ...privateNames]);
  walk(program, (n) => {
    if (n.type === "Literal" && typeof n.value === "string") taken.add(n.value);
    if (n.type === "Property") {
      const key = n.key as Node & { name?: string; value?: unknown };
      taken.add(key.type === "Identifier" ? key.name! : String(key.value));
    }
    if (n.type === "MemberExpression" && n.computed !== true) {
      const property = n.property as Node & { name: string };
      if (!wanted.has(property.name)) {
        taken.add(property.name);
        return;
      }
      const list = uses.get(property.name) ?? [];
      list.push(property);
      uses.set(property.name, list);
    }
  });
  const byUse = [...uses.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  const out = new MagicString(code);
  let n = 0;
  for (const [name, nodes] of byUse) {
    let short = nth(n++);
    while (taken.has(short)) short = nth(n++);
    // a name as short already stays as it is
    if (short.length >= name.length) continue;
    taken.add(short);
    for (const node of nodes) out.overwrite(node.start, node.end, short);
  }
  return out.toString();
}

/** The n-th short identifier: a … $, then aa, ab, …. */
function nth(n: number): string {
  let name = FIRST[n % FIRST.length]!;
  n = Math.floor(n / FIRST.length);
  while (n > 0) {
    n--;
    name += NEXT[n % NEXT.length];
    n = Math.floor(n / NEXT.length);
  }
  return name;
}
