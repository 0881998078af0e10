import { readFileSync } from "node:fs";
import ts from "typescript";

/**
 * The names of `private` class members that can be shortened in the bundle: declared private
 * somewhere in the firmware's modules and never used as anything the outside world sees — no public
 * member, interface or type member, object literal key, string literal, or name of the Espruino API
 * (the ambient declarations) has the same name. Terser renames a property everywhere it appears, so
 * such a name is only ever the private member's, and renaming it changes nothing but size: the
 * bundle's property names are a third of its bytes, and on a board each long name also costs RAM.
 */
export function privateNames(moduleFiles: string[], ambientFiles: string[]): string[] {
  const privates = new Set<string>();
  const exposed = new Set<string>();
  for (const file of ambientFiles) collect(file, privates, exposed, true);
  for (const file of moduleFiles) collect(file, privates, exposed, false);
  return [...privates].filter((name) => !exposed.has(name)).sort();
}

function collect(file: string, privates: Set<string>, exposed: Set<string>, ambient: boolean): void {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES5, true, file.endsWith(".js") ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const isPrivate = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node)) exposed.add(node.text);
    if (ambient && ts.isIdentifier(node)) exposed.add(node.text);
    const name = (node as { name?: ts.Node }).name;
    if (name !== undefined && (ts.isIdentifier(name) || ts.isStringLiteral(name))) {
      const member =
        ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node);
      const parameterProperty = ts.isParameter(node) && ts.isConstructorDeclaration(node.parent) && ts.getModifiers(node) !== undefined;
      if ((member || parameterProperty) && isPrivate(node) && ts.isClassLike(member ? node.parent : node.parent.parent)) privates.add(name.text);
      else if (member || ts.isPropertySignature(node) || ts.isMethodSignature(node) || ts.isPropertyAssignment(node) || parameterProperty) exposed.add(name.text);
      else if (ts.isShorthandPropertyAssignment(node)) exposed.add(name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
