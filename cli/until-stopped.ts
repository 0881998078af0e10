/** Resolves at the first SIGINT (Ctrl-C) or SIGTERM, for commands that run until stopped. */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
