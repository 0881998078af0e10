/** One subcommand of `cellrig`. Each lives in cli/commands/<name>.ts and is listed in cli/commands/index.ts. */
export interface Command {
  name: string;
  /** One line for `cellrig --help`. */
  summary: string;
  /** Full usage text for `cellrig <name> --help`. */
  usage: string;
  /** Returns the process exit code. */
  run(argv: string[]): Promise<number>;
}

/** A mistake in how the command was called: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  readonly code = "usage";
}
