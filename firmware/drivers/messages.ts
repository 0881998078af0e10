/** The message of anything thrown, for wrapping a bus error in one that names the channel. */
export function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function hex(n: number): string {
  return "0x" + n.toString(16);
}
