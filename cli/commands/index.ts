import type { Command } from "../command.ts";
import { analyze } from "./analyze.ts";
import { bench } from "./bench.ts";
import { bridge } from "./bridge.ts";
import { build } from "./build.ts";
import { flashInterpreter } from "./flash-interpreter.ts";
import { flash } from "./flash.ts";
import { gateway } from "./gateway.ts";
import { schema } from "./schema.ts";
import { sim } from "./sim.ts";
import { start } from "./start.ts";

/** Every `cellrig` subcommand, in the order `cellrig --help` lists them. */
export const commands: Command[] = [start, sim, bridge, gateway, build, flash, flashInterpreter, schema, analyze, bench];
