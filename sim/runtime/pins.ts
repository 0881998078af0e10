import type { BoardHost } from "./host.ts";

/**
 * The board's pins as globals (D4, A0, ...) and analogRead(). A pin's analog value (0 to 1, a
 * fraction of the ADC's full scale) comes from a source the simulator sets for that pin; a pin with
 * no source reads 0.
 */

export type AnalogSource = (time_s: number) => number;

export function installPins(host: BoardHost, analog: ReadonlyMap<string, AnalogSource>, define: (name: string, value: unknown) => void): void {
  const { realm } = host;
  const levels = new Map<string, boolean>();
  for (const name of host.profile.pins ?? []) {
    define(
      name,
      realm.object({
        toString: () => name,
        getInfo: () => realm.object({ name }),
        read: () => levels.get(name) ?? false,
        write: (value: unknown) => void levels.set(name, Boolean(value)),
        set: () => void levels.set(name, true),
        reset: () => void levels.set(name, false),
      }),
    );
  }
  define("analogRead", (pin: unknown) => {
    const name = String(pin);
    const source = analog.get(name);
    if (source === undefined) return 0;
    return Math.min(1, Math.max(0, source(host.clock.now_s())));
  });
}
