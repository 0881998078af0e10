// The board's own ADC as Espruino presents it: analogRead(pin) returns a fraction of the ADC's
// full scale, 0 to 1 (Espruino reference, "analogRead"). The firmware sends it as an integer code
// so that raw codes, never floats, travel; the simulator quantises to the board ADC's resolution.

/** Raw code = round(fraction · ANALOG_CODE_FULL_SCALE): 16 bits covers every Espruino board's ADC (10 to 14 bits). */
export const ANALOG_CODE_FULL_SCALE = 65535;

/** Resolution of the on-chip ADCs the board profiles use, bits (ESP32 and nRF52: 12; STM32F4: 12). */
export const DEFAULT_ADC_BITS = 12;
