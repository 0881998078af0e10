import { resolve } from "node:path";
import { boardIds, loadBoardProfile } from "../../boards/profile.ts";
import { loadRigConfig } from "../../boards/rig-config.ts";
import type { RigConfig } from "../../boards/rig-schema.ts";
import { simProfile } from "../../sim/board-profile.ts";
import { startDevicePort } from "../../sim/device-port/device-port.ts";
import { gasFor, type SealedHeadspaceParams } from "../../sim/physics/sealed-headspace.ts";
import { sealedCellPhysics } from "../../sim/rig.ts";
import { SimBoard } from "../../sim/runtime/board.ts";
import { VirtualClock } from "../../sim/runtime/clock.ts";
import { BoardWiring } from "../../sim/sensor-wiring.ts";
import { parseFlags, portFlag } from "../args.ts";
import { UsageError, type Command } from "../command.ts";
import { untilStopped } from "../until-stopped.ts";

/** A cell at rest on the bench: 1 atm in 10 mL of headspace at 25 °C, the room swinging 1 K over 10 minutes. */
const BENCH_CELL: SealedHeadspaceParams = {
  headspace_m3: 10e-6,
  gas_mol: gasFor(101325, 10e-6, 298.15),
  mean_temperature_K: 298.15,
  swing_K: 1,
  swing_period_s: 600,
};
/** A steady discharge through the shunt, so current and voltage channels read something. */
const BENCH_ELECTRICAL = { current_A: 0.5, voltage_V: 3.7 };

export const device: Command = {
  name: "device",
  summary: "a simulated board behind a console port, to flash and watch as if it were on the bench",
  usage: `usage: cellrig device --board <id> [--rig <rig.json>] [--port <port>] [options]

  --board <id>      board profile to simulate: ${boardIds().join(", ")}
  --rig <file>      wire simulated sensors as this rig configuration names them (a sealed cell
                    at rest, 0.5 A at 3.7 V); without it the board has no sensors
  --port <port>     TCP port of the console (default 8888; 0 picks a free one)
  --host <addr>     interface to listen on (default 127.0.0.1)
  --serial <id>     the board's serial number, its board id unless the rig names one (default bench-1)
  --verbose         print what the board prints

The board starts as a freshly flashed Espruino interpreter: nothing saved, an empty Storage.
\`cellrig flash --port tcp://127.0.0.1:<port>\` uploads to it as to a board on a USB cable; it runs
in real time until Ctrl-C, and forgets everything then.`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      board: { type: "string" },
      rig: { type: "string" },
      port: { type: "string", default: "8888" },
      host: { type: "string", default: "127.0.0.1" },
      serial: { type: "string", default: "bench-1" },
      verbose: { type: "boolean" },
    });
    if (values.board === undefined) throw new UsageError(`--board is required (one of: ${boardIds().join(", ")})`);
    const port = portFlag(values.port, "--port");
    const board = loadBoardProfile(values.board);
    const rig: RigConfig | undefined = values.rig === undefined ? undefined : loadRigConfig(resolve(values.rig), board);
    const profile = simProfile(board);
    const physics = sealedCellPhysics(BENCH_CELL, BENCH_ELECTRICAL);

    const clock = new VirtualClock(Date.now() / 1000);
    const running = await startDevicePort({
      clock,
      host: values.host,
      port,
      createBoard: (code, flash) => {
        const sim = new SimBoard({ code, flash, profile, serial: values.serial, clock });
        if (rig !== undefined) {
          const wiring = new BoardWiring(sim, physics);
          for (const ch of rig.channels) wiring.add(ch);
        }
        return sim;
      },
    });
    if (values.verbose) running.device.on("output", (line) => console.log(`board: ${line}`));
    const realtime = clock.runRealtime({ speed: 1 });
    const sensors = rig === undefined ? "no sensors" : `sensors of rig "${rig.rig}": ${rig.channels.map((c) => `${c.id} ${c.sensor}`).join(", ")}`;
    console.log(`device      ${running.url}: simulated ${board.id} board, serial ${values.serial}, ${sensors} (Ctrl-C stops)`);
    await untilStopped();
    realtime.stop();
    await running.close();
    return 0;
  },
};
