// Honeywell ABP2 series board-mount pressure sensors, digital I2C output.
// Facts from the datasheet 32350268 Issue D: "I2C communication" (measurement command, the
// 7-byte read, status byte), "Transfer function" (10 % to 90 % of 2^24 counts) and the output
// update rate of about 200 Hz. Imported by the firmware driver and the simulator's twin.

/** Factory default address; part numbers choose others in steps of 0x10 from 0x08 to 0x78. */
export const ABP2_DEFAULT_ADDRESS = 0x28;

/** Output measurement command: three bytes written to start one conversion. */
export const COMMAND_MEASURE = [0xaa, 0x00, 0x00];

/** A read returns status, pressure (24 bits, MSB first) and temperature (24 bits, MSB first); the driver stops after the pressure. */
export const READ_PRESSURE_BYTES = 4;

/** Status byte bits. */
export const STATUS_POWERED = 0x40;
export const STATUS_BUSY = 0x20;
export const STATUS_MEMORY_ERROR = 0x04;
export const STATUS_MATH_SATURATION = 0x01;

/** Transfer function limits: 10 % and 90 % of 2^24, rounded to integers. */
export const OUTPUT_MIN_COUNTS = 1677722;
export const OUTPUT_MAX_COUNTS = 15099494;
export const COUNTS_MAX = 0xffffff;

/** Calibrated outputs update at about 200 Hz: a conversion takes about 5 ms. */
export const CONVERSION_S = 0.005;

/** Temperature: T = counts · 200 / (2^24 − 1) − 50, °C. */
export const TEMPERATURE_SPAN_DEGC = 200;
export const TEMPERATURE_MIN_DEGC = -50;
