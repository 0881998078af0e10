// Texas Instruments INA226, 36 V bidirectional current and power monitor with I2C interface.
// Facts from the datasheet SBOS547 (June 2011): "Register Maps" (Table 2), "Configuration
// Register" (Tables 4-6), "Mask/Enable Register", "Programming the INA226" (Equations 1-4) and
// Table 1 "Configure/Measure/Calculate Example". Imported by the firmware driver and by the
// simulator's register-level twin, so both read the same numbers.

/** I2C addresses set by the A0/A1 pins: 0x40 to 0x4F ("Serial Bus Address", address pin table). */
export const INA226_ADDRESS_MIN = 0x40;
export const INA226_ADDRESS_MAX = 0x4f;

/** Register pointer values. */
export const REG_CONFIG = 0x00;
export const REG_SHUNT_VOLTAGE = 0x01;
export const REG_BUS_VOLTAGE = 0x02;
export const REG_POWER = 0x03;
export const REG_CURRENT = 0x04;
export const REG_CALIBRATION = 0x05;
export const REG_MASK_ENABLE = 0x06;
export const REG_ALERT_LIMIT = 0x07;
export const REG_MANUFACTURER_ID = 0xfe;
export const REG_DIE_ID = 0xff;

/** Identity registers: "TI" in ASCII, and die 0x226 revision 0. */
export const MANUFACTURER_ID = 0x5449;
export const DIE_ID = 0x2260;

/** Configuration reset value: 1 average, 1.1 ms bus and shunt conversions, shunt and bus continuous. */
export const CONFIG_RESET = 0x4127;
/** Bit 15 resets every register; bit 14 is fixed at 1 and reads back as 1. */
export const CONFIG_RST = 0x8000;
export const CONFIG_FIXED = 0x4000;
export const CONFIG_AVG_SHIFT = 9;
export const CONFIG_VBUSCT_SHIFT = 6;
export const CONFIG_VSHCT_SHIFT = 3;
/** MODE[2:0] = 111: shunt and bus voltage, continuous. */
export const CONFIG_MODE_SHUNT_BUS_CONTINUOUS = 7;
export const CONFIG_MODE_MASK = 7;

/** Samples averaged, by AVG[2:0]. */
export const AVERAGES = [1, 4, 16, 64, 128, 256, 512, 1024];
/** Conversion time of one bus or shunt sample, µs, by VBUSCT[2:0] / VSHCT[2:0]. */
export const CONVERSION_TIME_US = [140, 204, 332, 588, 1100, 2116, 4156, 8244];

/** Mask/Enable register bits. */
export const MASK_SOL = 0x8000;
export const MASK_SUL = 0x4000;
export const MASK_BOL = 0x2000;
export const MASK_BUL = 0x1000;
export const MASK_POL = 0x0800;
export const MASK_CNVR = 0x0400;
/** Alert function flag: the selected alert condition happened (cleared by reading the register unless latched). */
export const MASK_AFF = 0x0010;
/** Conversion ready flag. */
export const MASK_CVRF = 0x0008;
/** Math overflow: the current or power result exceeded its register. */
export const MASK_OVF = 0x0004;
/** Alert pin polarity: 1 makes the pin active high. */
export const MASK_APOL = 0x0002;
/** Latch enable. */
export const MASK_LEN = 0x0001;

/** Shunt voltage register: signed, 2.5 µV per LSB, ±81.92 mV full scale. */
export const SHUNT_LSB_V = 2.5e-6;
/** Bus voltage register: unsigned (bit 15 always 0), 1.25 mV per LSB, 40.96 V full scale. */
export const BUS_LSB_V = 1.25e-3;
export const SHUNT_CODE_MAX = 0x7fff;
export const SHUNT_CODE_MIN = -0x8000;
export const BUS_CODE_MAX = 0x7fff;
/** The calibration register's bit 15 is reserved; the value fits 15 bits. */
export const CALIBRATION_MAX = 0x7fff;
/** Power LSB = 25 × Current_LSB. */
export const POWER_LSB_PER_CURRENT_LSB = 25;

/** Equation 1: CAL = 0.00512 / (Current_LSB · R_shunt), truncated to an integer. */
export function calibrationRegister(currentLsb_A: number, shunt_ohm: number): number {
  const cal = 0.00512 / (currentLsb_A * shunt_ohm);
  // The relative nudge keeps an exact quotient such as 2560 from truncating to 2559 by rounding error.
  return Math.floor(cal * (1 + 1e-12));
}

/** Equation 3: Current = ShuntVoltage · CAL / 2048 (register values, truncated toward zero). */
export function currentRegister(shuntCode: number, calibration: number): number {
  const q = (shuntCode * calibration) / 2048;
  return q < 0 ? Math.ceil(q) : Math.floor(q);
}

/** Equation 4: Power = Current · BusVoltage / 20000 (register values). */
export function powerRegister(currentCode: number, busCode: number): number {
  return Math.floor(Math.abs(currentCode * busCode) / 20000);
}
