/**
 * Runs async tasks one at a time in submission order. The store shares one DuckDB connection and
 * one appender between writers and readers; interleaving a merge with an append would lose rows.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
