import { afterEach, beforeAll, afterAll, describe, expect, it } from "vitest";
import { loadBoardProfile } from "../../boards/profile.ts";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import type { Messages } from "../../protocol/decode/message.ts";
import { simProfile } from "../../sim/board-profile.ts";
import { SimFlash } from "../../sim/runtime/flash.ts";
import { setAccessPoint } from "../../sim/runtime/wifi.ts";
import { startBoard, syntheticRig, type BoardUnderTest } from "../../scripts/fixtures/board-rig.ts";

// Wi-Fi boards join the configured access point before MQTT connects: the SSID comes from the rig,
// the password from cellrig.json as `cellrig flash` writes it. A refused join is printed with the
// reason, retried every 10 s without an error on the board, and flagged in the health of the birth
// that follows once the board is let in.

const SSID = "cell-lab";
const PASSWORD = "correct horse";

/** The board's Storage as `cellrig flash` leaves it: the rig with the Wi-Fi password added. */
function flashWithConfig(board: string, config: object): SimFlash {
  const profile = simProfile(loadBoardProfile(board));
  const flash = new SimFlash(profile.storageBytes, profile.flashPageBytes);
  const bytes = new TextEncoder().encode(JSON.stringify(config));
  flash.program(flash.create("cellrig.json", bytes.length, false)!, 0, bytes);
  return flash;
}

/** The birth carries the board's health besides what protocol/schema/birth.ts checks. */
type BirthWithHealth = Messages["birth"] & { health?: { err: string[] } };

function rig(board: string, port: number) {
  const config = syntheticRig(port, 1, { wifi: { ssid: SSID } });
  return { ...config, board };
}

describe.each(["espruino-wifi", "esp32"])("Wi-Fi join on %s", (boardId) => {
  let broker: EmbeddedBroker;
  let b: BoardUnderTest | undefined;

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
  });
  afterEach(async () => {
    await b?.close();
    b = undefined;
  });
  afterAll(async () => {
    await broker?.close();
  });

  /** Each board its own serial (its board id), so no retained birth of an earlier one reaches the subscriber. */
  async function boot(password: string, serial: string) {
    const config = rig(boardId, broker.port);
    const flash = flashWithConfig(boardId, { ...config, wifi: { ssid: SSID, password } });
    let ap: ReturnType<typeof setAccessPoint> | undefined;
    const board = await startBoard(config, broker.url, {
      flash,
      serial: `${boardId}-${serial}`,
      wire: (sim) => {
        ap = setAccessPoint(sim.network, SSID, PASSWORD);
      },
    });
    b = board;
    const births = (): BirthWithHealth[] =>
      board.received.filter((r) => r.kind === "birth" && r.topic.includes(`/${boardId}-${serial}/`)).map((r) => r.message as BirthWithHealth);
    return { board, ap: ap!, births };
  }

  it("joins with the configured SSID and password, then connects and announces itself", async () => {
    const { board, ap, births } = await boot(PASSWORD, "right");
    await board.runUntil(() => births().length > 0, 10);
    expect(board.board.errors).toEqual([]);
    expect(ap.attempts).toEqual([{ ssid: SSID, password: PASSWORD }]);
    expect(births()).toHaveLength(1);
    expect(births()[0]!.health?.err ?? []).toEqual([]);
  }, 60_000);

  it("a wrong password: no MQTT connection, the reason printed, a retry every 10 s, no crash; flagged once it gets in", async () => {
    const { board, ap, births } = await boot("wrong horse", "wrong");
    await board.run(35);
    expect(board.board.errors).toEqual([]);
    // first attempt at 1.5 s, then 10 s after each refusal: 1.5, 13, 24.5 s
    expect(ap.attempts.length).toBe(3);
    for (const attempt of ap.attempts) expect(attempt).toEqual({ ssid: SSID, password: "wrong horse" });
    expect(board.received.filter((r) => r.topic.includes(`/${boardId}-wrong/`))).toEqual([]);
    expect(board.board.output.filter((line) => line.includes(`Wi-Fi ${SSID}: auth_fail`))).toHaveLength(3);

    // the access point takes that password from now on: the next attempt joins
    ap.password = "wrong horse";
    await board.runUntil(() => births().length > 0, 15);
    expect(board.board.errors).toEqual([]);
    expect(births()).toHaveLength(1);
    expect(births()[0]!.health?.err).toContain("WIFI_auth_fail");
  }, 60_000);
});
