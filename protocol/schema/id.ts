import Type, { type Static } from "typebox";
import { ID_PATTERN } from "../wire/topics.ts";

export const Id = Type.String({ pattern: ID_PATTERN });
export type Id = Static<typeof Id>;

const idRegExp = new RegExp(ID_PATTERN);

export function isId(value: unknown): value is Id {
  return typeof value === "string" && idRegExp.test(value);
}
