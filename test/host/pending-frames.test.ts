import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pool } from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { BoardRegistry } from "../../host/bridge/board-registry.ts";
import { ingest, resolveStoredPending, type IngestContext } from "../../host/bridge/ingest.ts";
import { PendingBoots } from "../../host/bridge/pending-frames.ts";
import { Quarantine } from "../../host/bridge/quarantine.ts";
import { SequenceTracker } from "../../host/bridge/sequence-tracker.ts";
import { DuckDbStore } from "../../host/store/duckdb-store.ts";
import { PostgresStore } from "../../host/store/postgres-store.ts";
import type { SampleStore } from "../../host/store/store.ts";
import type { Birth } from "../../protocol/schema/birth.ts";
import { encode, makeBirth, makeData, P1_CODES, S1_CODES } from "../../scripts/fixtures/messages.ts";
import { postgresMissing, startPostgres, type Service } from "./services.ts";

// A board that browns out while cut off from the broker forwards the old boot's frames from flash
// after the new boot's birth; a boot that never reached the broker has no birth at all. Neither
// kind of frame may be acknowledged and dropped: the first is read with its own boot's birth, the
// second is kept as received until a birth of its boot comes, across a bridge restart.

const topic = (kind: string) => `cellrig/v1/rig-A/cell-07/${kind}`;
const oldBirth = makeBirth();
/** The next boot: another boot id and one channel only, calibrated differently. */
const newBirth: Birth = {
  ...oldBirth,
  boot: oldBirth.boot + 1,
  seq: 0,
  t: oldBirth.t + 3_600_000_000,
  channels: [{ ...oldBirth.channels[0]!, cal: { kind: "linear", gain: 1, offset: 0 } }],
};
const P1_OLD = P1_CODES.map((code) => code * 0.0078125 - 3.5);

function context(store: SampleStore): IngestContext {
  const sequences = new SequenceTracker();
  return {
    store,
    boards: new BoardRegistry(sequences),
    sequences,
    quarantine: new Quarantine(),
    counts: { received: 0, framesStored: 0, samplesStored: 0, framesHeld: 0, framesResolved: 0, ignored: {} },
    emit: () => {},
    pending: new PendingBoots(),
  };
}

/** What a restarted bridge does before its first message: the latest births, then the kept frames. */
async function restarted(store: SampleStore): Promise<IngestContext> {
  const ctx = context(store);
  for (const { rig, birth } of await store.births()) ctx.boards.restore(rig, birth.board, birth);
  await resolveStoredPending(ctx);
  return ctx;
}

interface Engine {
  name: string;
  missing?: string;
  /** A fresh, empty database; the function gives a new store on it each call (a restarted bridge). */
  create(): Promise<() => SampleStore>;
  stop(): Promise<void>;
}

function duckdb(): Engine {
  const dirs: string[] = [];
  return {
    name: "DuckDB",
    async create() {
      const dir = mkdtempSync(join(tmpdir(), "cellrig-pending-"));
      dirs.push(dir);
      return () => new DuckDbStore({ path: join(dir, "store.duckdb") });
    },
    async stop() {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgres(): Engine {
  let database: Service | undefined;
  const missing = postgresMissing();
  return {
    name: "PostgreSQL",
    ...(missing === undefined ? {} : { missing }),
    async create() {
      database ??= await startPostgres();
      const url = database.url;
      // One server for the file: each test starts from empty tables.
      const pool = new Pool({ connectionString: url });
      await pool.query("DROP TABLE IF EXISTS samples, births, boards, pending_frames, alarms");
      await pool.end();
      return () => new PostgresStore({ url });
    },
    async stop() {
      await database?.stop();
    },
  };
}

/** An open store, and how to close it and open the same data again. */
async function opened(engine: Engine): Promise<{ store: SampleStore; reopen: () => Promise<SampleStore> }> {
  const make = await engine.create();
  const store = make();
  await store.open();
  return {
    store,
    reopen: async () => {
      await store.close();
      const again = make();
      await again.open();
      return again;
    },
  };
}

for (const engine of [duckdb(), postgres()]) {
  if (engine.missing !== undefined) console.log(`SKIPPED: pending frames in ${engine.name}: ${engine.missing}`);
  describe.skipIf(engine.missing !== undefined)(`frames of another boot, ${engine.name}`, () => {
    const open: SampleStore[] = [];
    afterAll(async () => {
      for (const store of open) await store.close();
      await engine.stop();
    }, 30_000);

    it("reads a frame of an earlier boot, arriving after the new birth, with the earlier boot's channels and calibration", async () => {
      const { store, reopen } = await opened(engine);
      let ctx = context(store);
      await ingest(ctx, topic("birth"), encode(oldBirth));
      await ingest(ctx, topic("birth"), encode(newBirth));
      await ingest(ctx, topic("data"), encode(makeData(oldBirth, 50)));
      expect(ctx.quarantine.countsByCode()).toEqual({});
      expect(ctx.counts).toMatchObject({ framesStored: 1, framesHeld: 0 });
      expect((await store.samples({ board: "cell-07", channel: "p1" })).map((s) => s.value)).toEqual(P1_OLD);
      expect(await store.samples({ board: "cell-07", channel: "s1" })).toHaveLength(S1_CODES.length);

      // A restarted bridge knows the latest birth only; the earlier one comes from the store.
      const again = await reopen();
      open.push(again);
      ctx = await restarted(again);
      await ingest(ctx, topic("data"), encode(makeData(oldBirth, 51, 1_754_000_002_000_000)));
      await ingest(ctx, topic("data"), encode(makeData(oldBirth, 50)));
      expect(ctx.quarantine.countsByCode()).toEqual({});
      expect((await again.samples({ board: "cell-07", channel: "p1" })).map((s) => s.value)).toEqual([...P1_OLD, ...P1_OLD]);
      expect(await again.pendingFrames()).toEqual([]);
    });

    it("keeps a frame of a boot with no birth anywhere, through a restart, and stores it once when the birth comes", async () => {
      const { store, reopen } = await opened(engine);
      const ctx = context(store);
      await ingest(ctx, topic("birth"), encode(newBirth));
      const frame = encode(makeData(oldBirth, 50));
      await ingest(ctx, topic("data"), frame);
      await ingest(ctx, topic("data"), frame);
      expect(ctx.quarantine.countsByCode()).toEqual({});
      expect(ctx.counts).toMatchObject({ framesStored: 0, framesHeld: 2 });
      const kept = await store.pendingFrames();
      expect(kept.map(({ board, boot, seq, rig }) => ({ board, boot, seq, rig }))).toEqual([{ board: "cell-07", boot: oldBirth.boot, seq: 50, rig: "rig-A" }]);
      expect(Array.from(kept[0]!.payload)).toEqual(Array.from(frame));
      expect(await store.samples({ board: "cell-07", channel: "p1" })).toEqual([]);

      const again = await reopen();
      open.push(again);
      const after = await restarted(again);
      expect(await again.pendingFrames()).toHaveLength(1);
      // The birth comes late (a retained birth of that boot, or read from the board's flash).
      await ingest(after, topic("birth"), encode(oldBirth));
      expect(after.counts).toMatchObject({ framesResolved: 1, framesStored: 1 });
      expect(await again.pendingFrames()).toEqual([]);
      // The frame again (the broker redelivers): stored once.
      await ingest(after, topic("data"), frame);
      expect((await again.samples({ board: "cell-07", channel: "p1" })).map((s) => s.value)).toEqual(P1_OLD);
      expect(after.quarantine.countsByCode()).toEqual({});
    });

    it("reads kept frames at startup when their birth is stored already, without storing a frame twice", async () => {
      const { store, reopen } = await opened(engine);
      const ctx = context(store);
      await ingest(ctx, topic("data"), encode(makeData(oldBirth, 50)));
      // A crash after the samples were committed and before the kept frame was removed.
      await ingest(ctx, topic("birth"), encode(oldBirth));
      await store.writePending({ rig: "rig-A", board: "cell-07", boot: oldBirth.boot, seq: 50, payload: encode(makeData(oldBirth, 50)), received_ms: 0 });
      const again = await reopen();
      open.push(again);
      const after = await restarted(again);
      expect(after.counts.framesResolved).toBe(1);
      expect(await again.pendingFrames()).toEqual([]);
      expect((await again.samples({ board: "cell-07", channel: "p1" })).map((s) => s.value)).toEqual(P1_OLD);
    });
  });
}
