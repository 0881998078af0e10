import { bootTestBundle, type TestBundle } from "../../../scripts/fixtures/board-entry.ts";

/** The driver test entry booted on a board, with helpers that read channels as the sampler does. */
export interface DriverBench {
  bundle: TestBundle;
  /** "" when every channel started, else the error message. */
  start(channels: unknown[]): string;
  /** One read of channel i: its raw code and quality flags. */
  read(i: number): { code: number; quality: number };
  /** Moves virtual time on, running the board's timers. */
  advance(dt_s: number): void;
  close(): void;
}

export const SOURCES_ENTRY = "test/firmware/drivers/fixtures/sources-entry.ts";

export async function driverBench(board: string, attach: (bundle: TestBundle) => void): Promise<DriverBench> {
  const bundle = await bootTestBundle(SOURCES_ENTRY, { board });
  attach(bundle);
  return {
    bundle,
    start: (channels) => bundle.call("start", channels) as string,
    read(i) {
      const [code, quality] = bundle.call("read", i) as number[];
      return { code: code!, quality: quality! };
    },
    advance: (dt_s) => bundle.clock.advanceBy(dt_s),
    close: () => bundle.close(),
  };
}

/** Fields every channel needs; tests override what matters to them. */
export function channel(fields: { [key: string]: unknown }): { [key: string]: unknown } {
  return { quantity: "test_quantity", unit: "1", rate_hz: 10, calibration: { kind: "linear", gain: 1, offset: 0 }, ...fields };
}
