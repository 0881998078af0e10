import type { Command } from "../command.ts";
import { analyze } from "./analyze.ts";
import { bench } from "./bench.ts";
import { bridge } from "./bridge.ts";
import { broker } from "./broker.ts";
import { build } from "./build.ts";
import { device } from "./device.ts";
import { doctor } from "./doctor.ts";
import { exportCommand } from "./export.ts";
import { flashInterpreter } from "./flash-interpreter.ts";
import { flash } from "./flash.ts";
import { gateway } from "./gateway.ts";
import { importCommand } from "./import.ts";
import { init } from "./init.ts";
import { monitor } from "./monitor.ts";
import { schema } from "./schema.ts";
import { sim } from "./sim.ts";
import { start } from "./start.ts";

/** Every `cellrig` subcommand, in the order `cellrig --help` lists them. */
export const commands: Command[] = [start, sim, bridge, gateway, broker, init, build, device, flash, monitor, doctor, flashInterpreter, schema, importCommand, exportCommand, analyze, bench];
