/** A bus or pin the interpreter defines as a global (I2C1, SPI1, D27), or an error naming it. */
export function lookup<T>(name: string, what: string): T {
  const value = global[name] as T | undefined;
  if (!value) throw new Error(what + " " + name + " does not exist on this board");
  return value;
}
