// Texas Instruments ADS1115, 16-bit delta-sigma ADC with PGA and 4-input multiplexer.
// Facts from the datasheet SBAS444D (revised December 2018): §8.5 register map, §8.3.3 full-scale
// range, §8.3.6 data rate, §8.5.3 config register. Imported by the firmware driver and by the
// simulator's register-level twin, so both read the same numbers.

/** I2C addresses selected by the ADDR pin (GND, VDD, SDA, SCL), §8.5.1.1. */
export const ADS1115_ADDRESSES = [0x48, 0x49, 0x4a, 0x4b];

/** Address pointer register values, §8.6.1. */
export const REG_CONVERSION = 0x00;
export const REG_CONFIG = 0x01;
export const REG_LO_THRESH = 0x02;
export const REG_HI_THRESH = 0x03;

/** Config register reset value: single-shot, AIN0-AIN1, ±2.048 V, 128 SPS, comparator off. */
export const CONFIG_RESET = 0x8583;

/** OS bit: write 1 starts a single conversion; reads 0 while converting, 1 when idle. */
export const CONFIG_OS = 0x8000;
export const CONFIG_MUX_SHIFT = 12;
export const CONFIG_PGA_SHIFT = 9;
/** MODE bit: 0 continuous conversion, 1 single-shot / power-down. */
export const CONFIG_MODE_SINGLE = 0x0100;
export const CONFIG_DR_SHIFT = 5;
/** COMP_QUE = 11 disables the comparator and puts ALERT/RDY in high impedance. */
export const CONFIG_COMP_DISABLE = 0x0003;

/** MUX[2:0] by input name: differential pairs and single-ended inputs against GND. */
export const MUX: { [input: string]: number } = {
  "AIN0-AIN1": 0,
  "AIN0-AIN3": 1,
  "AIN1-AIN3": 2,
  "AIN2-AIN3": 3,
  AIN0: 4,
  AIN1: 5,
  AIN2: 6,
  AIN3: 7,
};

/** Full-scale range (±V) by PGA[2:0]; codes 5-7 all select ±0.256 V. */
export const PGA_FSR_V = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256];

/** Data rate (samples per second) by DR[2:0]. */
export const DATA_RATE_SPS = [8, 16, 32, 64, 128, 250, 475, 860];

/** The output code saturates at these values beyond full scale, §8.3.3. */
export const CODE_MAX = 0x7fff;
export const CODE_MIN = -0x8000;

/** One LSB in volts for a full-scale range: FSR / 2^15. */
export function lsb_V(fsr_V: number): number {
  return fsr_V / 32768;
}

/** Internal oscillator tolerance on the data rate is ±10 %, so a conversion may take up to 1.1/DR. */
export const DATA_RATE_TOLERANCE = 0.1;
