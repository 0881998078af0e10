import type { TLocalizedValidationError } from "typebox/error";
import { fail, type DecodeResult } from "./result.ts";

/** The part of a compiled TypeBox validator that validation needs. */
export interface SchemaCheck<T> {
  Check(value: unknown): value is T;
  Errors(value: unknown): TLocalizedValidationError[];
}

/** Checks `value` against a compiled schema; the first error becomes a `schema` error naming the field. */
export function validate<T>(check: SchemaCheck<T>, value: unknown, what: string): DecodeResult<T> {
  if (check.Check(value)) return { ok: true, message: value };
  const [first] = check.Errors(value);
  if (first === undefined) return fail("schema", `${what} does not match its schema`);
  if (first.keyword === "required") {
    const field = `${first.instancePath}/${first.params.requiredProperties[0] ?? ""}`;
    return fail("schema", `${what} field ${field}: is missing`, field);
  }
  const path = first.instancePath === "" ? "/" : first.instancePath;
  return fail("schema", `${what} field ${path}: ${first.message}`, path);
}
