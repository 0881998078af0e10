import { analysisBenchmark } from "./analysis.ts";
import type { Benchmark } from "./figure.ts";

/** Every benchmark `npm run bench` runs, in order. */
export const benchmarks: Benchmark[] = [analysisBenchmark];
