import { readFileSync } from "node:fs";
import { boardIds, loadBoardProfile } from "../../boards/profile.ts";
import { validateRigConfig } from "../../boards/rig-config.ts";
import { buildFirmware } from "../build/bundle.ts";
import type { Benchmark, Figure } from "./figure.ts";

const DEFAULT_RIG = new URL("../../rigs/default.json", import.meta.url);

/** firmware.bundle_bytes.<board>: size of the minified bundle for the default rig, per board. */
export const firmwareBenchmark: Benchmark = {
  name: "firmware",
  async run(progress) {
    const rig = JSON.parse(readFileSync(DEFAULT_RIG, "utf8"));
    const figures: Figure[] = [];
    for (const id of boardIds()) {
      progress(`building for ${id}`);
      const board = loadBoardProfile(id);
      const config = validateRigConfig({ ...rig, board: id }, board);
      const bundle = await buildFirmware({ board, config });
      figures.push({ name: `firmware.bundle_bytes.${id}`, value: bundle.bytes, unit: "bytes", note: `default rig, minified, ${board.storage_bytes} bytes of Storage on the board` });
    }
    return figures;
  },
};
