import { readFileSync } from "node:fs";
import { STORAGE_RESERVE_BYTES, bundleFlashProblem, storeFlashShare_B } from "../../boards/limits.ts";
import { boardIds, loadBoardProfile } from "../../boards/profile.ts";
import { validateRigConfig } from "../../boards/rig-config.ts";
import { startEmbeddedBroker } from "../../host/broker/embedded.ts";
import { Gateway } from "../../host/gateway/gateway.ts";
import { simProfile } from "../../sim/board-profile.ts";
import { Ads1115Twin } from "../../sim/chips/ads1115.ts";
import { SimBoard } from "../../sim/runtime/board.ts";
import { VirtualClock } from "../../sim/runtime/clock.ts";
import { buildFirmware } from "../build/bundle.ts";
import { compared, type Benchmark, type Figure } from "./figure.ts";

const DEFAULT_RIG = new URL("../../rigs/default.json", import.meta.url);
/** The smallest networked budget the firmware targets: the MDBT42Q's JsVars. */
const JSVAR_BOARD = "mdbt42q";
const RUN_s = 3600;
const MEMORY_EVERY_s = 10;

/**
 * JsVars of the default rig on the MDBT42Q profile, after boot and at the peak of a simulated hour
 * publishing to an in-process broker through the serial gateway (the board's Bluetooth UART). Estimated as for a program saved to flash, where the
 * interpreter keeps function code in flash and RAM holds the data: that is how a board runs
 * `cellrig flash`. The same board with the code uploaded to RAM is given beside it.
 */
async function jsvarFigures(rig: Record<string, unknown>, progress: (line: string) => void): Promise<Figure[]> {
  const board = loadBoardProfile(JSVAR_BOARD);
  const broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
  try {
    const config = validateRigConfig({ ...rig, board: JSVAR_BOARD, broker: { ...(rig.broker as object), port: broker.port } }, board);
    const { code } = await buildFirmware({ board, config, ignoreStorage: true });
    const clock = new VirtualClock(1_800_000_000);
    const make = (codeInFlash: boolean, serial: string) => {
      const b = new SimBoard({ code, profile: simProfile(board), serial, clock, codeInFlash });
      for (const ch of config.channels) if ("address" in ch && ch.sensor === "ads1115") b.i2c(ch.bus).attach(new Ads1115Twin(ch.address));
      b.boot();
      return b;
    };
    const inRam = make(false, "bench-ram");
    const inFlash = make(true, "bench-flash");
    const gateway = new Gateway({ serial: inFlash.serialPorts.port("Bluetooth").stream(), brokerUrl: broker.url, silence_s: 3600 });
    const afterBoot = inFlash.memory().usage;
    const afterBootRam = inRam.memory().usage;
    inRam.close();
    progress(`simulating ${RUN_s} s on ${JSVAR_BOARD}`);
    for (let t = 0; t < RUN_s; t++) {
      clock.advanceBy(1);
      await new Promise((r) => setTimeout(r, 1));
      if (t % MEMORY_EVERY_s === 0) inFlash.memory();
    }
    const peak = inFlash.memory().peak;
    const errors = inFlash.errors.length;
    const published = gateway.counters.published;
    inFlash.close();
    await gateway.close();
    if (published < RUN_s / 2) throw new Error(`the gateway republished only ${published} messages of the JsVar run on ${JSVAR_BOARD}; the serial link did not stay up`);
    if (errors > 0) throw new Error(`the firmware reported ${errors} error(s) during the JsVar run on ${JSVAR_BOARD}`);
    return [
      compared("firmware.jsvars_after_boot", afterBoot, board.jsvars, "JsVars", `default rig on ${JSVAR_BOARD}, code in flash (saved program)`),
      compared("firmware.jsvars_peak", peak, board.jsvars, "JsVars", `peak over a simulated hour; target ≤ 50 % of ${board.jsvars}`),
      compared("firmware.jsvars_after_boot_code_in_ram", afterBootRam, board.jsvars, "JsVars", "the same, function text counted in RAM (code uploaded, not saved)"),
    ];
  } finally {
    await broker.close();
  }
}

/** firmware.bundle_bytes.<board>: size of the minified bundle for the default rig, per board; and the JsVar figures. */
export const firmwareBenchmark: Benchmark = {
  name: "firmware",
  async run(progress) {
    const rig = JSON.parse(readFileSync(DEFAULT_RIG, "utf8"));
    const figures: Figure[] = [];
    for (const id of boardIds()) {
      progress(`building for ${id}`);
      const board = loadBoardProfile(id);
      const config = validateRigConfig({ ...rig, board: id }, board);
      const bundle = await buildFirmware({ board, config, ignoreStorage: true });
      const fits = bundleFlashProblem(bundle.bytes, config, board) === undefined;
      const room_B = board.storage_bytes - storeFlashShare_B(config) - STORAGE_RESERVE_BYTES;
      figures.push({
        name: `firmware.bundle_bytes.${id}`,
        value: bundle.bytes,
        unit: "bytes",
        note: `default rig, minified, ${board.transport} transport; ${fits ? "fits" : "does NOT fit"} the ${room_B} bytes its Storage leaves beside the store's least share and the reserve`,
      });
    }
    figures.push(...(await jsvarFigures(rig, progress)));
    return figures;
  },
};
