import { startEmbeddedBroker } from "../../host/broker/embedded.ts";
import { runSimulation } from "../../sim/run.ts";
import type { Benchmark } from "./figure.ts";

/** The benchmark rig: rigs/graphite-nmc-gas.json, eight channels at 10 Hz on the linux board. */
const PRESET = "graphite-nmc-gas";
const SIMULATED_s = 86400;

/**
 * `sim.realtime_factor`: simulated seconds per wall second for one board running the real bundle of
 * the eight-channel rig at 10 Hz beside its physics cell, publishing every frame to an in-process
 * broker at max speed (the firmware build is not timed). The board's connection is in memory, as the
 * broker runs in this process; the firmware still speaks MQTT over its `net` socket, and the run
 * fails unless the broker acknowledged every frame. Target ≥ 10,000: a week in about a minute.
 */
export const simBenchmark: Benchmark = {
  name: "sim",
  async run(progress) {
    const broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    try {
      progress(`simulating ${SIMULATED_s / 3600} h of ${PRESET} on one board`);
      const result = await runSimulation({ preset: PRESET, boards: 1, duration_s: SIMULATED_s, speed: "max", broker: { host: "127.0.0.1", port: broker.port, accept: broker.accept }, start_s: 1_800_000_000 });
      const errors = result.errors[0]!.length;
      if (errors > 0) throw new Error(`the firmware reported ${errors} error(s) during the simulation benchmark (first: ${result.errors[0]![0]!.message})`);
      if (result.framesAcknowledged !== result.frames) {
        throw new Error(`the broker acknowledged ${result.framesAcknowledged} of the ${result.frames} frames the board published: a figure that loses frames does not count`);
      }
      return [
        {
          name: "sim.realtime_factor",
          value: result.realtimeFactor,
          unit: "simulated s / wall s",
          note: `1 board, ${result.config.channels.length} channels at 10 Hz, real bundle, physics, ${result.frames} frames to an embedded broker, all acknowledged; target ≥ 10000`,
        },
      ];
    } finally {
      await broker.close();
    }
  },
};
