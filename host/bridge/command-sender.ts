import { randomInt } from "node:crypto";
import { decodeMessage } from "../../protocol/decode/message.ts";
import type { Ack } from "../../protocol/schema/ack.ts";
import type { Command } from "../../protocol/schema/command.ts";
import { formTopic } from "../../protocol/schema/topics.ts";
import { writeValue } from "../../protocol/wire/cbor-value.ts";
import { CborWriter } from "../../protocol/wire/cbor-writer.ts";
import { MAX_COMMAND_BYTES, TAG_BYTES } from "../../protocol/wire/command.ts";
import { signCommand } from "./command-keys.ts";
import type { CommandRequest } from "./api-types.ts";

/** Publishes one QoS 1 message; resolves once the broker has it. */
export type Publish = (topic: string, payload: Uint8Array) => Promise<void>;

/**
 * A board's command key and its current boot (from its birth), or undefined for a board without a
 * key, whose commands go unsigned.
 */
export type SigningKey = (rig: string, board: string) => { key: Uint8Array; boot: number | undefined } | undefined;

interface Pending {
  board: string;
  op: string;
  resolve: (ack: Ack) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Sends commands and pairs each board's ack with the command by id. Ids start at a random point
 * so a restarted bridge, or another bridge of a group (every bridge sees every ack), is unlikely
 * to take an ack of its own command for someone else's.
 */
export class CommandSender {
  private readonly publish: Publish;
  private readonly pending = new Map<string, Pending>();
  private nextId = randomInt(0, 2 ** 31);
  private readonly signingKey: SigningKey | undefined;
  /** The last counter signed per board; see counterFor. */
  private readonly counters = new Map<string, number>();

  constructor(publish: Publish, signingKey?: SigningKey) {
    this.publish = publish;
    this.signingKey = signingKey;
  }

  /**
   * Encodes the command in the protocol's deterministic CBOR, checks it as a board's host-side
   * decoder would (an invalid command is refused here, naming the field), publishes it on the
   * board's cmd topic and resolves with the ack; rejects after `timeout_ms` without one.
   */
  async send(rig: string, board: string, request: CommandRequest, timeout_ms = 10_000): Promise<Ack> {
    const id = this.nextId;
    this.nextId = (this.nextId + 1) >>> 0;
    const signing = this.signingKey?.(rig, board);
    if (signing !== undefined && signing.boot === undefined) throw new Error(`command ${request.op} to board "${board}" cannot be signed before the board's birth says which boot it runs; wait until it is online`);
    const command = (signing === undefined
      ? { ...request, v: 1, id }
      : { ...request, v: 1, id, boot: signing.boot, n: this.counterFor(board), tag: new Uint8Array(TAG_BYTES) }) as Command;
    const payload = encodeCommand(command);
    if (signing !== undefined) signCommand(payload, board, signing.key);
    const checked = decodeMessage("cmd", payload);
    if (!checked.ok) throw new Error(`command ${request.op} to board "${board}" is invalid: ${checked.error.message}`);
    const topic = formTopic(rig, board, "cmd");
    const acked = new Promise<Ack>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(pendingKey(board, id));
        reject(new Error(`board "${board}" did not acknowledge command ${request.op} (id ${id}) within ${timeout_ms} ms; is it online and subscribed to ${topic}?`));
      }, timeout_ms);
      timer.unref();
      this.pending.set(pendingKey(board, id), { board, op: request.op, resolve, reject, timer });
    });
    try {
      await this.publish(topic, payload);
    } catch (err) {
      this.settle(board, id)?.reject(new Error(`command ${request.op} to board "${board}" could not be published: ${err instanceof Error ? err.message : String(err)}`));
    }
    return acked;
  }

  /** An ack from a board: resolves the command it answers; returns false when none waits for it. */
  onAck(board: string, ack: Ack): boolean {
    if (ack.id === undefined) return false;
    const pending = this.settle(board, ack.id);
    if (pending === undefined) return false;
    pending.resolve(ack);
    return true;
  }

  /** Rejects every command still waiting (the bridge is stopping). */
  cancelAll(reason: string): void {
    for (const [key, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(key);
      pending.reject(new Error(`command ${pending.op} to board "${pending.board}" abandoned: ${reason}`));
    }
  }

  /**
   * Strictly increasing per board, and across restarts of the host: the clock in milliseconds, or
   * one more than the last when commands come faster (the board refuses a counter not above the last).
   */
  private counterFor(board: string): number {
    const n = Math.max(Date.now(), (this.counters.get(board) ?? 0) + 1);
    this.counters.set(board, n);
    return n;
  }

  private settle(board: string, id: number): Pending | undefined {
    const key = pendingKey(board, id);
    const pending = this.pending.get(key);
    if (pending === undefined) return undefined;
    clearTimeout(pending.timer);
    this.pending.delete(key);
    return pending;
  }
}

/** Deterministic CBOR with sorted keys, as docs/PROTOCOL.md shows a command; the board's parser reads any order. */
export function encodeCommand(command: Command): Uint8Array {
  const writer = new CborWriter(MAX_COMMAND_BYTES);
  writeValue(writer, command);
  return writer.bytes().slice();
}

function pendingKey(board: string, id: number): string {
  return `${board}/${id}`;
}
