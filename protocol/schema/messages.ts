import type { TSchema } from "typebox";
import { Ack } from "./ack.ts";
import { Alarm } from "./alarm.ts";
import { Birth } from "./birth.ts";
import { Command } from "./command.ts";
import { Data } from "./data.ts";
import { Death } from "./death.ts";
import { Gap } from "./gap.ts";
import { Health } from "./health.ts";
import type { MessageKind } from "./topics.ts";

/** The schema of every message kind: the one source of truth `cellrig schema` publishes as JSON Schema. */
export const MESSAGE_SCHEMAS: { [K in MessageKind]: TSchema } = {
  birth: Birth,
  death: Death,
  data: Data,
  alarm: Alarm,
  gap: Gap,
  health: Health,
  cmd: Command,
  ack: Ack,
};

/**
 * A kind's schema as a standalone JSON Schema (draft 2020-12) document. CBOR byte strings and typed
 * arrays have no JSON counterpart; their schemas say so in `description`.
 */
export function jsonSchemaOf(kind: MessageKind): object {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `cellrig-v1-${kind}.schema.json`,
    title: `cellrig protocol v1 ${kind} message (CBOR, topic cellrig/v1/<rig>/<board>/${kind})`,
    ...JSON.parse(JSON.stringify(MESSAGE_SCHEMAS[kind])),
  };
}
