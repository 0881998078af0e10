import { decode } from "cbor-x";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBoard, syntheticRig, type BoardUnderTest } from "../../scripts/fixtures/board-rig.ts";
import { mosquittoMissing, startMosquitto, type Mosquitto } from "./support/mosquitto.ts";

// The firmware bundle on a simulated board talking to a real Mosquitto on loopback: its data
// arrive at QoS 1, and when the link is killed the broker publishes the board's last will.

const missing = mosquittoMissing();
if (missing !== undefined) console.warn(`SKIPPED firmware against Mosquitto: ${missing}`);

describe.skipIf(missing !== undefined)("the firmware against a real Mosquitto", () => {
  let broker: Mosquitto;
  let b: BoardUnderTest;
  let deathsBeforeCut = 0;
  let birthsBeforeCut = 0;

  beforeAll(async () => {
    broker = await startMosquitto();
    b = await startBoard(syntheticRig(broker.port, 2), broker.url);
    await b.runUntil(() => b.data().length >= 5, 60);
    deathsBeforeCut = b.received.filter((r) => r.kind === "death").length;
    birthsBeforeCut = b.of("birth").length;
    b.network.cut();
    await b.runUntil(() => b.received.some((r) => r.kind === "death") && b.of("birth").length > birthsBeforeCut, 60);
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await broker?.stop();
  });

  it("publishes its birth and data frames, the frames at QoS 1, each decoding on the host", () => {
    expect(b.board.errors).toEqual([]);
    expect(b.invalid).toEqual([]);
    expect(birthsBeforeCut).toBeGreaterThanOrEqual(1);
    const data = b.received.filter((r) => r.kind === "data");
    expect(data.length).toBeGreaterThanOrEqual(5);
    for (const r of data) expect(r.qos).toBe(1);
  });

  it("makes Mosquitto publish its will when the link is killed, then reconnects and announces itself again", () => {
    expect(deathsBeforeCut).toBe(0);
    const deaths = b.received.filter((r) => r.kind === "death");
    expect(deaths.length).toBe(1);
    const birth = b.of("birth")[0]!;
    expect(decode(deaths[0]!.payload)).toEqual({ b: birth.boot, v: 1 });
    expect(b.of("birth").length).toBeGreaterThan(birthsBeforeCut);
  });

  it("delivers every frame made across the cut, in order", () => {
    const seqs = [...new Set(b.data().map((f) => f.s))];
    expect(seqs).toEqual(seqs.map((_, i) => i));
  });
});
