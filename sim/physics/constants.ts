/** Physical constants used by every cell model (CODATA 2018 exact values, as quoted in ../shared/physics.md). */

/** Molar gas constant. */
export const R_J_per_molK = 8.314462618;

/** Faraday constant. */
export const F_C_per_mol = 96485.33212;

export const ZERO_CELSIUS_K = 273.15;

export const SECONDS_PER_HOUR = 3600;
