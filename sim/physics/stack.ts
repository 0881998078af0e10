import type { StackParams } from "./preset-schema.ts";
import type { CellState } from "./cell-state.ts";

/**
 * A solid-state cell clamped in a frame at an applied pressure. The cell's thickness changes
 * with state of charge (lithium plating and stripping, cathode breathing), taken linear, and the
 * frame answers with its stiffness: P = P_applied + k·Δh/A, plus the frame's thermal term.
 */
export class StackModel {
  private readonly applied_Pa: number;
  private readonly pascalPerSoc: number;
  private readonly thermal_Pa_per_K: number;
  private readonly reference_K: number;
  private initialSoc = NaN;

  constructor(p: StackParams, referenceTemperature_K: number) {
    this.applied_Pa = p["Applied pressure [Pa]"];
    this.pascalPerSoc = (p["Stack stiffness [N/m]"] * p["Thickness change at full charge [m]"]) / p["Cell area [m2]"];
    this.thermal_Pa_per_K = p["Pressure temperature coefficient [Pa/K]"];
    this.reference_K = referenceTemperature_K;
  }

  init(s: CellState): void {
    this.initialSoc = s.soc;
    this.step(s);
  }

  step(s: CellState): void {
    s.applied_pressure_Pa = this.applied_Pa;
    s.stack_pressure_Pa =
      this.applied_Pa + this.pascalPerSoc * (s.soc - this.initialSoc) + this.thermal_Pa_per_K * (s.temperature_K - this.reference_K);
  }
}
