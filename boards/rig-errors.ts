import type { TSchema } from "typebox";
import { Compile } from "typebox/compile";
import { jsonPositions, positionOf } from "./json-positions.ts";
import { ChannelConfig, RigConfig } from "./rig-schema.ts";

// Rig-file mistakes as people read them: one line per mistake, each starting with the key path
// (a JSON Pointer) and saying what to write instead. TypeBox reports a union that fails as every
// alternative's complaint, so a channel is checked against the one schema its `sensor` names.

/** One mistake: `pointer` locates it in the file, `text` says it (starting with the key path). */
export interface RigProblem {
  pointer: string;
  text: string;
}

/** A rig configuration that cannot be used, with each mistake as data for tools that show them. */
export class RigConfigError extends Error {
  constructor(
    message: string,
    readonly problems: RigProblem[],
  ) {
    super(message);
    this.name = "RigConfigError";
  }
}

interface SchemaError {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

const channelSchemas = new Map<string, TSchema>();
for (const variant of (ChannelConfig as unknown as { anyOf: TSchema[] }).anyOf) {
  const sensor = (variant as { properties: { sensor: { const: string } } }).properties.sensor.const;
  channelSchemas.set(sensor, variant);
}
const compiled = new Map<TSchema, ReturnType<typeof Compile>>();

function errorsOf(schema: TSchema, value: unknown): SchemaError[] {
  let check = compiled.get(schema);
  if (check === undefined) compiled.set(schema, (check = Compile(schema)));
  return check.Check(value) ? [] : (check.Errors(value) as SchemaError[]);
}

/** Every sensor kind a channel may name. */
export function sensorKinds(): string[] {
  return [...channelSchemas.keys()];
}

/** Edits (insert, delete, substitute, swap neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The name in `names` closest to `word`, when it is close enough to be what was meant. */
export function nearestName(word: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = Math.max(1, Math.floor(word.length / 3));
  for (const name of names) {
    // the distance is at least the difference in length: a name that far off is never the answer, and a long word costs nothing
    if (Math.abs(word.length - name.length) > limit) continue;
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return bestDistance <= limit ? best : undefined;
}

function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const part of pointer.split("/").slice(1)) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return value;
}

function shown(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

/** The keys the object schema at `schemaPath` ("#/properties/broker") allows. */
function keysAt(schema: TSchema, schemaPath: string): string[] {
  let node: unknown = schema;
  for (const part of schemaPath.split("/").slice(1)) node = (node as Record<string, unknown> | undefined)?.[part];
  return Object.keys((node as { properties?: object } | undefined)?.properties ?? {});
}

/** One line per key the schema does not know, on the key itself, with the likely intended name. */
function unknownKeyProblems(e: SchemaError, schema: TSchema, base: string): RigProblem[] {
  const known = keysAt(schema, e.schemaPath);
  return ((e.params.additionalProperties as string[]) ?? []).map((key) => {
    const pointer = `${base}${e.instancePath}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    const guess = nearestName(key, known);
    const fix = guess === undefined ? `remove it (allowed here: ${known.join(", ")})` : `did you mean "${guess}"?`;
    return { pointer, text: `${pointer}: unknown key "${key}": ${fix}` };
  });
}

/** Schema errors as one line per key path: a failed choice of literals becomes "one of ...". */
function wordErrors(errors: SchemaError[], root: unknown, base: string, schema: TSchema): RigProblem[] {
  const byPath = new Map<string, SchemaError[]>();
  const problems: RigProblem[] = [];
  for (const e of errors) {
    // Each unknown key is also reported as a false subschema at its own path; one line says it.
    if (e.keyword === "boolean" && e.schemaPath.endsWith("/additionalProperties")) continue;
    if (e.keyword === "additionalProperties") {
      problems.push(...unknownKeyProblems(e, schema, base));
      continue;
    }
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  for (const [path, list] of byPath) {
    const pointer = base + path;
    const got = shown(valueAt(root, path));
    const choices = list.filter((e) => e.keyword === "const").map((e) => e.params.allowedValue);
    if (choices.length > 0) {
      problems.push({ pointer, text: `${pointer}: ${got} is not allowed here: use one of ${choices.map((c) => JSON.stringify(c)).join(", ")}` });
      continue;
    }
    for (const e of list) {
      if (e.keyword === "anyOf") continue;
      if (e.keyword === "required") {
        const missing = (e.params.requiredProperties as string[]) ?? [];
        problems.push({ pointer, text: `${pointer || "/"}: add ${missing.map((k) => `"${k}"`).join(", ")} (required)` });
      } else {
        problems.push({ pointer, text: `${pointer || "/"}: ${e.message}, got ${got}` });
      }
    }
  }
  return problems;
}

/** What is wrong with one channel as written; an unknown sensor is one mistake, not one per sensor kind. */
function channelProblems(channel: unknown, pointer: string): RigProblem[] {
  if (typeof channel !== "object" || channel === null || Array.isArray(channel)) {
    return [{ pointer, text: `${pointer}: a channel is an object with "id", "sensor", "rate_hz", "calibration" and the sensor's wiring` }];
  }
  const sensor = (channel as { sensor?: unknown }).sensor;
  const kinds = sensorKinds();
  if (typeof sensor !== "string" || !channelSchemas.has(sensor)) {
    const id = (channel as { id?: unknown }).id;
    const label = typeof id === "string" ? ` of channel "${id}"` : "";
    const guess = typeof sensor === "string" ? nearestName(sensor, kinds) : undefined;
    const fix = guess === undefined ? `use one of ${kinds.join(", ")}` : `did you mean "${guess}"? (sensors: ${kinds.join(", ")})`;
    const what = sensor === undefined ? `the sensor${label} is missing` : `unknown sensor ${shown(sensor)}${label}`;
    return [{ pointer: `${pointer}/sensor`, text: `${pointer}/sensor: ${what}: ${fix}` }];
  }
  const schema = channelSchemas.get(sensor)!;
  return wordErrors(errorsOf(schema, channel), channel, pointer, schema);
}

/** Whether one channel, as written, is a channel the schema accepts. */
export function isValidChannel(channel: unknown): boolean {
  if (typeof channel !== "object" || channel === null) return false;
  const schema = channelSchemas.get((channel as { sensor?: unknown }).sensor as string);
  return schema !== undefined && errorsOf(schema, channel).length === 0;
}

/** Every way `value` departs from the rig schema, one problem per key path. */
export function schemaProblems(value: unknown): RigProblem[] {
  const channels = typeof value === "object" && value !== null ? (value as { channels?: unknown }).channels : undefined;
  const perChannel = Array.isArray(channels);
  const rest = errorsOf(RigConfig, value).filter((e) => !(perChannel && /^\/channels\/\d+(\/|$)/.test(e.instancePath)));
  const problems = wordErrors(rest, value, "", RigConfig);
  if (perChannel) channels.forEach((ch, i) => problems.push(...channelProblems(ch, `/channels/${i}`)));
  return problems;
}

/** The key a board-check line about a channel is about, by what it says, so its line number is that key's. */
const CHANNEL_KEYS: [RegExp, string][] = [
  [/ is not an analog pin | analog pin \w+ is already used/, "pin"],
  [/: address 0x[0-9a-f]+ on /, "address"],
  [/ has no (I2C|SPI)\d/, "bus"],
  [/: chip select /, "cs"],
  [/: (rate|channels on one ADS1115 are scanned)/, "rate_hz"],
  [/ calibration|code_full_scale/, "calibration"],
];

/** A problem line from the board checks ("/channels/2 ("p1"): ...") with the pointer it starts with. */
export function problemFromLine(text: string): RigProblem {
  const match = /^(\/[^\s:]*)/.exec(text);
  const pointer = match === null ? "" : match[1]!;
  if (!/^\/channels\/\d+$/.test(pointer)) return { pointer, text };
  const key = CHANNEL_KEYS.find(([pattern]) => pattern.test(text));
  return { pointer: key === undefined ? pointer : `${pointer}/${key[1]}`, text };
}

/**
 * The problems as lines for people: with the file's text, each line starts with file:line:column
 * (the form editors and terminals jump to) of the key that is wrong.
 */
export function formatProblems(problems: RigProblem[], file?: { name: string; text: string }): string[] {
  if (file === undefined) return problems.map((p) => oneLine(p.text));
  const positions = jsonPositions(file.text);
  const located = problems.map((p) => ({ p, at: positionOf(positions, p.pointer) }));
  // In file order, so the lines read top to bottom beside the file.
  located.sort((a, b) => (a.at?.line ?? 0) - (b.at?.line ?? 0) || (a.at?.column ?? 0) - (b.at?.column ?? 0));
  return located.map(({ p, at }) => (at === undefined ? `${file.name}: ${oneLine(p.text)}` : `${file.name}:${at.line}:${at.column}: ${oneLine(p.text)}`));
}

/** A problem stays on its one line whatever the keys and values it quotes hold: control characters are escaped. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Rig-file notes for people: a "$comment" member anywhere is dropped before the file is checked. */
export function withoutComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutComments);
  if (typeof value !== "object" || value === null) return value;
  // Defined, not assigned: a "__proto__" key stays a key (and is refused as unknown) instead of becoming the prototype.
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (key !== "$comment") Object.defineProperty(out, key, { value: withoutComments(member), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
