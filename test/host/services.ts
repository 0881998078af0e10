export { freePort, mosquittoMissing, postgresMissing, startMosquitto, startPostgres, stopChild, type Service } from "../../scripts/services/local.ts";

/** Warns (so the skip shows in the test output) and returns whether to skip. */
export function skipWithout(...reasons: (string | undefined)[]): boolean {
  const missing = reasons.filter((r): r is string => r !== undefined);
  if (missing.length > 0) console.warn(`SKIPPED: ${missing.join("; ")}`);
  return missing.length > 0;
}
