import type { Ack } from "../schema/ack.ts";
import type { Gap } from "../schema/gap.ts";
import type { Health } from "../schema/health.ts";
import { fail, type DecodeError } from "./result.ts";

// What the schemas of the rarer messages cannot say. Each returns undefined when the message is sound.

export function checkGap(gap: Gap): DecodeError | undefined {
  if (gap.until < gap.from) {
    return fail("implausible", `gap ends at ${gap.until} µs, before it starts at ${gap.from} µs`, "/until").error;
  }
  if (gap.frames > 0 && gap.seq === undefined) {
    return fail("schema", `gap field /seq: is missing; it names the first of the ${gap.frames} lost frame(s)`, "/seq").error;
  }
  if (gap.frames === 0 && gap.seq !== undefined) {
    return fail("schema", "gap field /seq: must be absent when no whole frame was lost (frames is 0)", "/seq").error;
  }
  return undefined;
}

export function checkAck(ack: Ack): DecodeError | undefined {
  if (ack.ok !== (ack.code === "ok")) {
    return fail("schema", `ack field /code: "${ack.code}" contradicts ok = ${ack.ok}; code is "ok" exactly when ok is true`, "/code").error;
  }
  return undefined;
}

export function checkHealth(health: Health): DecodeError | undefined {
  for (const key of ["mem", "buf"] as const) {
    const { used, total } = health[key];
    if (used > total) return fail("implausible", `health field /${key}/used: ${used} exceeds the total of ${total}`, `/${key}/used`).error;
  }
  return undefined;
}
