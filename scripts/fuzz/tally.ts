import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** What one surface of the campaign did with its inputs: the row of the table `npm run fuzz` prints. */
export interface SurfaceReport {
  surface: string;
  tried: number;
  accepted: number;
  /** Refusals by the reason the surface gave (an error code, an HTTP status and its message class). */
  refused: Record<string, number>;
  /** Inputs that escaped as an exception, killed the process or board, or were refused without a reason. */
  crashes: number;
  /** Inputs that took longer than the surface's bound. */
  hangs: number;
  /** The first few failures, each with the input that caused it, to replay. */
  failures: string[];
  slowest_ms: number;
  /** A short description of the slowest input. */
  slowestInput: string;
  /** Heap used after the campaign minus before, both after a full collection, bytes. */
  heapGrowth_B: number;
  /** Surface-specific figures (bounded quarantine, board memory, problems reported) for the doc. */
  notes: string[];
}

const KEPT_FAILURES = 10;

/** Counts outcomes as they come; `report()` turns them into the surface's row. */
export class Tally {
  private tried = 0;
  private accepted = 0;
  private readonly refused = new Map<string, number>();
  private crashes = 0;
  private hangs = 0;
  private readonly failures: string[] = [];
  private slowest_ms = 0;
  private slowestInput = "";
  readonly notes: string[] = [];

  constructor(
    readonly surface: string,
    /** An input slower than this counts as a hang. */
    readonly hang_ms: number,
  ) {}

  /** One input's outcome: `undefined` reason for accepted, a reason for a refusal. */
  record(reason: string | undefined, elapsed_ms: number, input: () => string): void {
    this.tried++;
    if (reason === undefined) this.accepted++;
    else this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
    this.time(elapsed_ms, input);
  }

  /** An input that broke the surface: an exception escaped, the target died, or a refusal gave no reason. */
  crash(what: string, elapsed_ms: number, input: () => string): void {
    this.tried++;
    this.crashes++;
    this.keep(`${what} on ${input()}`);
    this.time(elapsed_ms, input);
  }

  /** A check across inputs failed (the target stopped answering valid requests, memory grew unbounded). */
  fail(what: string): void {
    this.crashes++;
    this.keep(what);
  }

  private time(elapsed_ms: number, input: () => string): void {
    if (elapsed_ms > this.hang_ms) {
      this.hangs++;
      this.keep(`took ${elapsed_ms.toFixed(0)} ms (bound ${this.hang_ms} ms) on ${input()}`);
    }
    if (elapsed_ms > this.slowest_ms) {
      this.slowest_ms = elapsed_ms;
      this.slowestInput = input();
    }
  }

  private keep(failure: string): void {
    if (this.failures.length < KEPT_FAILURES) this.failures.push(failure.length > 600 ? `${failure.slice(0, 600)}…` : failure);
  }

  report(heapGrowth_B: number): SurfaceReport {
    return {
      surface: this.surface,
      tried: this.tried,
      accepted: this.accepted,
      refused: Object.fromEntries([...this.refused].sort((a, b) => b[1] - a[1])),
      crashes: this.crashes,
      hangs: this.hangs,
      failures: this.failures,
      slowest_ms: this.slowest_ms,
      slowestInput: this.slowestInput.length > 200 ? `${this.slowestInput.slice(0, 200)}…` : this.slowestInput,
      heapGrowth_B,
      notes: this.notes,
    };
  }
}

/**
 * The time of an input that took longer than `bound_ms` is taken again and the lesser kept: a
 * pause of the garbage collector or of a busy machine is not a hang, an input that is slow twice is.
 */
export function retimed(elapsed_ms: number, bound_ms: number, again: () => unknown): number {
  if (elapsed_ms <= bound_ms) return elapsed_ms;
  const start = performance.now();
  try {
    again();
  } catch {
    // the first run already reported what it threw
  }
  return Math.min(elapsed_ms, performance.now() - start);
}

let collector: (() => void) | undefined;

/** A full garbage collection, also where node was started without --expose-gc (vitest workers). */
export function collectGarbage(): void {
  if (collector === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed !== undefined) collector = exposed;
    else {
      setFlagsFromString("--expose-gc");
      collector = runInNewContext("gc") as () => void;
    }
  }
  collector();
  collector();
}

/** Heap in use after a full collection, bytes. */
export function settledHeap_B(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** A payload as hex, cut short: enough to replay a short one and recognise a long one. */
export function hexOf(bytes: Uint8Array, max = 300): string {
  const hex = Buffer.from(bytes.subarray(0, max)).toString("hex");
  return bytes.length > max ? `${hex}… (${bytes.length} bytes)` : hex;
}

/** Text shown as JSON, cut short. */
export function textOf(text: string, max = 300): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);
}
