/**
 * Ratiometric analog pressure transducer: 10 % to 90 % of supply over its range (0.5 V to 4.5 V
 * at 5 V supply), the common industrial output of cell-pressure sensors. Clamped at the rails.
 */
export interface RatiometricPressureSpec {
  supply_V: number;
  /** Pressure at 10 % of supply, Pa (absolute). */
  min_Pa: number;
  /** Pressure at 90 % of supply, Pa (absolute). */
  max_Pa: number;
}

/** A 0-10 bar absolute transducer on a 5 V supply; matches the default rig's calibration. */
export const DEFAULT_TRANSDUCER: RatiometricPressureSpec = { supply_V: 5, min_Pa: 0, max_Pa: 1e6 };

export function transducerVoltage_V(spec: RatiometricPressureSpec, pressure_Pa: number): number {
  const fraction = 0.1 + (0.8 * (pressure_Pa - spec.min_Pa)) / (spec.max_Pa - spec.min_Pa);
  return spec.supply_V * Math.min(1, Math.max(0, fraction));
}
