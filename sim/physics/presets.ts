import { readFileSync, readdirSync } from "node:fs";
import { Compile } from "typebox/compile";
import { Preset } from "./preset-schema.ts";

/** Any part of a preset, to change some values of a named one; arrays are replaced whole. */
export type PresetOverrides = DeepPartial<Preset>;

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

const PRESET_DIR = new URL("./presets/", import.meta.url);
const check = Compile(Preset);

/** Names of the presets shipped in sim/physics/presets/, sorted. */
export function presetNames(): string[] {
  return readdirSync(PRESET_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

/** Reads a named preset, applies overrides and validates the result. */
export function loadPreset(name: string, overrides?: PresetOverrides): Preset {
  const names = presetNames();
  if (!names.includes(name)) {
    throw new Error(
      `cell preset "${name}" does not exist; choose one of ${names.map((n) => `"${n}"`).join(", ")} (nearest: "${nearest(name, names)}")`,
    );
  }
  const source = `cell preset "${name}"`;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(new URL(`${name}.json`, PRESET_DIR), "utf8"));
  } catch (err) {
    throw new Error(`${source} cannot be read as JSON: ${(err as Error).message}`);
  }
  return validatePreset(overrides ? merge(value, overrides) : value, overrides ? `${source} with overrides` : source);
}

/** Checks a preset against the schema and the rules the schema cannot express; throws listing every problem. */
export function validatePreset(value: unknown, source = "cell preset"): Preset {
  if (!check.Check(value)) {
    const problems = [...check.Errors(value)].map((e) => `${e.instancePath || "/"}: ${e.message}`);
    throw new Error(`${source} is invalid:\n  ${problems.join("\n  ")}`);
  }
  const problems = consistencyProblems(value);
  if (problems.length > 0) throw new Error(`${source} is inconsistent:\n  ${problems.join("\n  ")}`);
  return value;
}

function consistencyProblems(p: Preset): string[] {
  const problems: string[] = [];
  const echem = p.Electrochemistry;
  const tables: [string, readonly number[], readonly number[]][] = [
    ["/Electrochemistry/Open-circuit voltage", echem["Open-circuit voltage"]["State of charge [1]"], echem["Open-circuit voltage"]["Voltage [V]"]],
  ];
  const neg = echem["Negative electrode potential"];
  if (neg) tables.push(["/Electrochemistry/Negative electrode potential", neg["State of charge [1]"], neg["Potential [V]"]]);
  if (p.Stress) {
    const e = p.Stress["Electrode volume expansion"];
    const h = p.Stress["Stress-thickness hysteresis"];
    tables.push(["/Stress/Electrode volume expansion", e["State of charge [1]"], e["Volume expansion [1]"]]);
    tables.push(["/Stress/Stress-thickness hysteresis", h["State of charge [1]"], h["Loop width [N/m]"]]);
  }
  for (const [at, xs, ys] of tables) {
    if (xs.length !== ys.length) problems.push(`${at}: ${xs.length} states of charge but ${ys.length} values (give one value per state of charge)`);
    if (xs.some((x, i) => i > 0 && !(x > xs[i - 1]!))) problems.push(`${at}: states of charge must increase strictly`);
  }
  let fractionSum = 0;
  echem["Side reactions"].forEach((r, i) => {
    const at = `/Electrochemistry/Side reactions/${i} ("${r.Name}")`;
    fractionSum += r["Fraction of storing current [1]"];
    if (r.Gate !== "always" && r["Gate potential [V]"] === undefined) problems.push(`${at}: gate "${r.Gate}" needs "Gate potential [V]"`);
    if (r.Gate === "negative electrode potential below" && !neg) {
      problems.push(`${at}: gate "${r.Gate}" needs the "Negative electrode potential" table in Electrochemistry`);
    }
  });
  if (fractionSum >= 1) problems.push(`/Electrochemistry/Side reactions: fractions of storing current add up to ${fractionSum}; they must stay below 1`);
  if (p.Optics) {
    if (!p.Stress) problems.push(`/Optics: the optical lever needs a Stress section (cantilever) to bend`);
    const a1 = p.Optics["First beam distance from clamp [m]"];
    const a2 = p.Optics["Second beam distance from clamp [m]"];
    if (!(a2 > a1)) problems.push(`/Optics: second beam (${a2} m) must hit farther from the clamp than the first (${a1} m)`);
    if (p.Stress && a2 > p.Stress["Cantilever length [m]"]) {
      problems.push(`/Optics: second beam at ${a2} m is beyond the ${p.Stress["Cantilever length [m]"]} m cantilever`);
    }
  }
  return problems;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function merge(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = merge(base[key], value);
  return out;
}

function nearest(name: string, names: string[]): string {
  let best = names[0] ?? "";
  let bestDistance = Infinity;
  for (const candidate of names) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}
