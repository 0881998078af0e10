import { readFileSync } from "node:fs";
import ts from "typescript";

/**
 * The names of class members that can be shortened in the bundle: declared as a member of a class
 * somewhere in the firmware's modules and never used as anything the outside world sees — no
 * interface or type member, object literal key, string literal, name of the Espruino API (the
 * ambient declarations) or key of what crosses into the board as JSON (`exposedFiles`: the rig
 * configuration read from Storage, commands from the gateway) has the same name. Terser renames a
 * property everywhere it appears, so such a name is only ever a class member's, reached through the
 * class's own type, and renaming it changes nothing but size: the bundle's property names are a third
 * of its bytes, and on a board each long name also costs RAM. A member reached through an interface
 * keeps its name, because the interface exposes it.
 */
export function privateNames(moduleFiles: string[], ambientFiles: string[], exposedFiles: string[] = []): string[] {
  const members = new Set<string>();
  const exposed = new Set<string>();
  for (const file of ambientFiles) collect(file, members, exposed, true);
  for (const file of exposedFiles) collect(file, new Set<string>(), exposed, false);
  for (const file of moduleFiles) collect(file, members, exposed, false);
  return [...members].filter((name) => !exposed.has(name)).sort();
}

function collect(file: string, members: Set<string>, exposed: Set<string>, ambient: boolean): void {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES5, true, file.endsWith(".js") ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node)) exposed.add(node.text);
    if (ambient && ts.isIdentifier(node)) exposed.add(node.text);
    const name = (node as { name?: ts.Node }).name;
    if (name !== undefined && (ts.isIdentifier(name) || ts.isStringLiteral(name))) {
      const member =
        ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node);
      const parameterProperty = ts.isParameter(node) && ts.isConstructorDeclaration(node.parent) && ts.getModifiers(node) !== undefined;
      if ((member || parameterProperty) && !ambient && ts.isClassLike(member ? node.parent : node.parent.parent)) members.add(name.text);
      else if (member || ts.isPropertySignature(node) || ts.isMethodSignature(node) || ts.isPropertyAssignment(node) || parameterProperty) exposed.add(name.text);
      else if (ts.isShorthandPropertyAssignment(node)) exposed.add(name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
