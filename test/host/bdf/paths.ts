import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The reference BDF files live beside the repository, in ../shared/data/bdf. */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const bdfDir = join(repoRoot, "..", "shared", "data", "bdf");

export const SINTEF_NEWARE = join(bdfDir, "SINTEF__SLPBA842124HV__2024-10-23__Rate_25degC__Neware__Time_Bug.bdf.csv");
export const DLR_BASYTEC = join(bdfDir, "DLR__LiLNMOHydra0b__20221125__POCV__25degC__Basytec.bdf.csv");
