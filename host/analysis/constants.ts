/**
 * Physical constants. Since the 2019 SI revision both are exact products of defining constants
 * (CODATA 2018, NIST SP 961): R = N_A·k, F = N_A·e. The values are those physics.md uses.
 */
export const GAS_CONSTANT_J_per_mol_K = 8.314462618;
export const FARADAY_C_per_mol = 96485.33212;

export const ZERO_CELSIUS_K = 273.15;
export const SECONDS_PER_HOUR = 3600;
/** 1 mAh = 3.6 A·s. */
export const COULOMBS_PER_mAh = 3.6;
/** 1 Wh = 3600 J. */
export const JOULES_PER_Wh = 3600;
