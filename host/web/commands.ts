import type { CommandRequest } from "../bridge/api-types.ts";
import { commandValidators } from "../../protocol/schema/command.ts";
import { isId } from "../../protocol/schema/id.ts";

/** The ops the dashboard offers; reboots, resends and calibrations stay with the command line. */
export const DASHBOARD_OPS = ["set_rate", "set_threshold", "rebirth"] as const;
type DashboardOp = (typeof DASHBOARD_OPS)[number];

/** How long the page waits for a board's ack by default, and at most. */
export const DEFAULT_ACK_TIMEOUT_ms = 10_000;
const MAX_ACK_TIMEOUT_ms = 60_000;

export interface CommandPost {
  board: string;
  /** Taken from the board's status when absent. */
  rig?: string;
  command: CommandRequest;
  timeout_ms: number;
}

export type ParsedCommand = { ok: true; post: CommandPost } | { ok: false; message: string };

const FIELDS: Record<DashboardOp, string[]> = {
  set_rate: ["channel", "rate_hz", "persist"],
  set_threshold: ["channel", "rule", "threshold", "persist"],
  rebirth: [],
};

/**
 * Reads a POST /api/commands body: `{board, rig?, timeout_ms?, command: {op, ...arguments}}`, the
 * command checked against the protocol's schema for its op (with a placeholder id: the bridge
 * assigns the real one), so a mistake is named here rather than by the board.
 */
export function parseCommandPost(body: unknown): ParsedCommand {
  if (typeof body !== "object" || body === null) return { ok: false, message: "the body must be a JSON object {board, command: {op, ...}}" };
  const { board, rig, command, timeout_ms } = body as Record<string, unknown>;
  if (typeof board !== "string" || !isId(board)) return { ok: false, message: `"board" must be a board id ([A-Za-z0-9_-]{1,32}), got ${JSON.stringify(board)}` };
  if (rig !== undefined && (typeof rig !== "string" || !isId(rig))) return { ok: false, message: `"rig" must be a rig id ([A-Za-z0-9_-]{1,32}), got ${JSON.stringify(rig)}` };
  if (timeout_ms !== undefined && (typeof timeout_ms !== "number" || !(timeout_ms >= 100 && timeout_ms <= MAX_ACK_TIMEOUT_ms))) {
    return { ok: false, message: `"timeout_ms" must be a number from 100 to ${MAX_ACK_TIMEOUT_ms}, got ${JSON.stringify(timeout_ms)}` };
  }
  if (typeof command !== "object" || command === null) return { ok: false, message: '"command" must be an object such as {"op": "rebirth"}' };
  const op = (command as Record<string, unknown>).op;
  if (!(DASHBOARD_OPS as readonly unknown[]).includes(op)) {
    return { ok: false, message: `"command.op" must be one of ${DASHBOARD_OPS.join(", ")} (got ${JSON.stringify(op)})` };
  }
  const dashboardOp = op as DashboardOp;
  const picked: Record<string, unknown> = { op: dashboardOp };
  for (const field of FIELDS[dashboardOp]) {
    const value = (command as Record<string, unknown>)[field];
    if (value !== undefined) picked[field] = value;
  }
  const validator = commandValidators[dashboardOp];
  const candidate = { ...picked, v: 1, id: 0 };
  if (!validator.Check(candidate)) {
    const problems = [...validator.Errors(candidate)].map((e) => `${e.instancePath.replace(/^\//, "command.") || "command"}: ${e.message}`);
    return { ok: false, message: `${dashboardOp} is not valid: ${problems.join("; ")}` };
  }
  const post: CommandPost = { board, command: picked as CommandRequest, timeout_ms: (timeout_ms as number | undefined) ?? DEFAULT_ACK_TIMEOUT_ms };
  if (rig !== undefined) post.rig = rig as string;
  return { ok: true, post };
}
