import { loadBoardProfile } from "../../boards/profile.ts";
import { buildFirmware } from "../../scripts/build/bundle.ts";
import { simProfile } from "../../sim/board-profile.ts";
import { SimBoard } from "../../sim/runtime/board.ts";
import { VirtualClock } from "../../sim/runtime/clock.ts";

// Runs firmware-side code the way a board does: an entry file under test/ is compiled by the real
// build into an ES5 bundle, the bundle boots in the simulator's Espruino sandbox, and the test calls
// the functions the entry put on `global.cellrigTest`. Arguments cross into the board as JSON (so
// they become the board's own objects); results come back with typed arrays copied out.

export interface TestBundle {
  board: SimBoard;
  clock: VirtualClock;
  /** Calls global.cellrigTest[name](...args) on the board. */
  call(name: string, ...args: unknown[]): unknown;
  close(): void;
}

export interface TestBundleOptions {
  board?: string;
  config?: unknown;
  start_s?: number;
  serial?: string;
}

const cache = new Map<string, Promise<string>>();

function bundleFor(entry: string, board: string, config: unknown): Promise<string> {
  const key = `${entry}\0${board}\0${JSON.stringify(config)}`;
  let code = cache.get(key);
  if (code === undefined) {
    code = buildFirmware({ board: loadBoardProfile(board), config, entry }).then((b) => b.code);
    cache.set(key, code);
  }
  return code;
}

function hostCopy(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
  return value;
}

/** Builds `entry` (a path relative to the repository root, e.g. "test/protocol/fixtures/encoder.ts") and boots it. */
export async function bootTestBundle(entry: string, options: TestBundleOptions = {}): Promise<TestBundle> {
  const boardId = options.board ?? "linux";
  const code = await bundleFor(entry, boardId, options.config ?? {});
  const clock = new VirtualClock(options.start_s ?? 1_800_000_000);
  const board = new SimBoard({ code, profile: simProfile(loadBoardProfile(boardId)), serial: options.serial ?? "test-1", clock });
  board.boot();
  if (board.errors.length > 0) {
    const e = board.errors[0]!;
    throw new Error(`test bundle ${entry} failed at ${e.where}: ${e.name}: ${e.message}`);
  }
  const parse = board.evaluate("JSON.parse") as (text: string) => unknown;
  return {
    board,
    clock,
    call(name, ...args) {
      const fn = board.evaluate(`cellrigTest[${JSON.stringify(name)}]`);
      if (typeof fn !== "function") throw new Error(`test bundle ${entry} has no function cellrigTest.${name}`);
      const boardArgs = args.map((a) => (a === undefined ? undefined : parse(JSON.stringify(a))));
      return hostCopy(Reflect.apply(fn, undefined, boardArgs));
    },
    close: () => board.close(),
  };
}
