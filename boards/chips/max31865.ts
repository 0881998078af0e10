// Maxim Integrated MAX31865, RTD-to-digital converter with SPI interface (PT100 to PT1000).
// Facts from the datasheet 19-6478 Rev 3: Table 1 "Register Memory Map", "Configuration
// Register" (D7-D0), "RTD Resistance Registers", "Fault Status Register" and the electrical
// characteristics (conversion times, SPI modes 1 and 3, 5 MHz). Imported by the firmware driver
// and by the simulator's register-level twin.

/** Register read addresses; a write sets bit 7 of the address (0x80-0x87). */
export const REG_CONFIG = 0x00;
export const REG_RTD_MSB = 0x01;
export const REG_RTD_LSB = 0x02;
export const REG_HIGH_FAULT_MSB = 0x03;
export const REG_HIGH_FAULT_LSB = 0x04;
export const REG_LOW_FAULT_MSB = 0x05;
export const REG_LOW_FAULT_LSB = 0x06;
export const REG_FAULT_STATUS = 0x07;
export const WRITE = 0x80;
export const REGISTER_COUNT = 8;

/** Reset values, in address order: config 0, RTD 0, high threshold 0xFFFF, low threshold 0, faults 0. */
export const RESET_VALUES = [0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00];

/** Configuration register bits. */
export const CONFIG_VBIAS = 0x80;
/** Conversion mode: 1 converts continuously (auto), 0 is normally off. */
export const CONFIG_AUTO = 0x40;
/** Self-clearing: one conversion. */
export const CONFIG_ONE_SHOT = 0x20;
/** 1 for a 3-wire RTD, 0 for 2- and 4-wire. */
export const CONFIG_THREE_WIRE = 0x10;
export const CONFIG_FAULT_CYCLE_MASK = 0x0c;
/** Self-clearing: clears the fault status register. */
export const CONFIG_FAULT_CLEAR = 0x02;
/** 1 rejects 50 Hz, 0 rejects 60 Hz. */
export const CONFIG_FILTER_50HZ = 0x01;

/** The LSB of the RTD register is the fault flag; the ratio code is the 15 bits above it. */
export const RTD_FAULT_BIT = 0x01;
/** R_RTD = code · R_REF / 2^15. */
export const CODE_FULL_SCALE = 32768;
export const CODE_MAX = 0x7fff;

/** Fault status register bits. */
export const FAULT_RTD_HIGH = 0x80;
export const FAULT_RTD_LOW = 0x40;
/** REFIN- > 0.85 · V_BIAS. */
export const FAULT_REFIN_HIGH = 0x20;
/** REFIN- < 0.85 · V_BIAS with FORCE- open. */
export const FAULT_REFIN_LOW_FORCE_OPEN = 0x10;
/** RTDIN- < 0.85 · V_BIAS with FORCE- open. */
export const FAULT_RTDIN_LOW_FORCE_OPEN = 0x08;
export const FAULT_OVER_UNDER_VOLTAGE = 0x04;

/** Conversion time in automatic mode: 16.7 ms with the 60 Hz filter, 20 ms with the 50 Hz filter. */
export const AUTO_CONVERSION_S = { 50: 0.02, 60: 0.0167 } as { [mains_hz: number]: number };
/** A one-shot conversion, bias already settled: 62.5 ms with the 50 Hz filter, 52 ms with the 60 Hz filter. */
export const ONE_SHOT_CONVERSION_S = { 50: 0.0625, 60: 0.052 } as { [mains_hz: number]: number };

/** SPI clock limit and the modes the chip accepts (CPHA = 1). */
export const SPI_MAX_BAUD = 5000000;
export const SPI_MODE = 1;

/** Reference resistor the usual boards fit: 400 Ω for PT100, 4 kΩ for PT1000. */
export const REFERENCE_OHM = { 100: 400, 1000: 4000 } as { [r0_ohm: number]: number };
