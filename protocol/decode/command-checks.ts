import { commandValidators, isCommandOp, type Command } from "../schema/command.ts";
import { COMMAND_OPS } from "../wire/command.ts";
import { fail, type DecodeResult } from "./result.ts";
import { validate, type SchemaCheck } from "./validate.ts";

/** Validates a decoded `cmd` against the schema of its own op, so errors name that op's fields. */
export function validateCommand(value: unknown): DecodeResult<Command> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("schema", "cmd field /: must be a map", "/");
  }
  const op = (value as { op?: unknown }).op;
  if (op === undefined) return fail("schema", "cmd field /op: is missing", "/op");
  if (!isCommandOp(op)) {
    const shown = typeof op === "string" ? `"${op.slice(0, 40)}"` : `a ${typeof op}`;
    return fail("unknown_op", `cmd field /op: ${shown} is not one of ${COMMAND_OPS.join(", ")}`, "/op");
  }
  return validate(commandValidators[op] as SchemaCheck<Command>, value, `cmd ${op}`);
}
