import Type, { type Static } from "typebox";
import { Compile } from "typebox/compile";
import { Uint32 } from "./uint.ts";

/** Error codes and "ok" are short snake_case words, so consumers can switch on them. */
export const Code = Type.String({ pattern: "^[a-z][a-z0-9_]{0,31}$" });

/** The result of one command, on `cellrig/v1/<rig>/<board>/ack`. */
export const Ack = Type.Object(
  {
    b: Uint32,
    v: Type.Literal(1),
    /** The command's id; absent when the command was too broken to carry a readable one. */
    id: Type.Optional(Uint32),
    ok: Type.Boolean(),
    code: Code,
    message: Type.String({ maxLength: 512 }),
  },
  { description: "The board's answer to one command: ok, or an error code and a message naming the field" },
);
export type Ack = Static<typeof Ack>;

export const ackValidator = Compile(Ack);
