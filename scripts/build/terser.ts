import { minify } from "terser";

/**
 * Runs terser for Espruino. hoist_funs moves every function declaration to the top of its body,
 * which the interpreter needs because it does not hoist (TypeScript's ES5 classes call
 * `__extends(D, _super)` before `function D`). Without `minify` the output keeps its names and
 * layout for reading but is still hoisted. `privateNames` are class members renamed to short names.
 */
export async function terserForEspruino(code: string, minified: boolean, privateNames: string[] = []): Promise<string> {
  // Only names scripts/build/private-names.ts proved private are renamed, and only when minifying.
  const properties = minified && privateNames.length > 0 ? { regex: new RegExp(`^(?:${privateNames.join("|")})$`) } : false;
  const result = await minify(code, {
    ecma: 5,
    compress: minified ? { hoist_funs: true } : { defaults: false, hoist_funs: true },
    mangle: minified ? { properties } : false,
    format: { ascii_only: true, comments: false, beautify: !minified },
  });
  if (result.code === undefined) throw new Error("terser returned no code for the firmware bundle");
  return result.code;
}
