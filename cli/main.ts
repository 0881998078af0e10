import { commands } from "./commands/index.ts";
import { UsageError } from "./command.ts";

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return ["usage: cellrig <command> [options]", "", "commands:", ...lines, "", "cellrig <command> --help shows a command's options."].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(help());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`cellrig: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`cellrig ${name}: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    console.error(`cellrig ${name}: ${(err as Error).message}`);
    return 1;
  }
}
