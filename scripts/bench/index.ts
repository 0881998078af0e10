import { analysisBenchmark } from "./analysis.ts";
import type { Benchmark } from "./figure.ts";
import { firmwareBenchmark } from "./firmware.ts";
import { hostBenchmark } from "./host.ts";
import { physicsBenchmark } from "./physics.ts";
import { protocolBenchmark } from "./protocol.ts";
import { simBenchmark } from "./sim.ts";
import { webBenchmark } from "./web.ts";

/** Every benchmark `npm run bench` runs, in order. */
export const benchmarks: Benchmark[] = [protocolBenchmark, firmwareBenchmark, simBenchmark, hostBenchmark, webBenchmark, physicsBenchmark, analysisBenchmark];
