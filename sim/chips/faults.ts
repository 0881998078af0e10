import { I2C_NACK } from "../runtime/i2c.ts";

/**
 * Faults a twin can be told to show, on demand:
 * - `open`: the sensor (or, for a chip on a bus, the chip) is disconnected;
 * - `short`: the sensor is shorted;
 * - `stuck`: the output freezes at the value it had when the fault began;
 * - `saturated`: the output sits at the end of its range.
 * Each twin documents what each fault looks like on its registers.
 */
export type SensorFault = "none" | "open" | "short" | "stuck" | "saturated";

/** What a chip that no longer acknowledges its address makes the bus throw. */
export function nack(direction: "write" | "read"): Error {
  return new Error(I2C_NACK[direction]);
}
