/** Where something starts in a text: 1-based line and column, as editors count them. */
export interface TextPosition {
  line: number;
  column: number;
}

/** The line and column of a character offset in `text`. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Deeper than any rig file nests; the scanner stops there rather than recurse without bound. */
const MAX_SCAN_DEPTH = 64;

interface Scan {
  /** Character offset where each value starts, by JSON Pointer, in increasing order. */
  offsets: Map<string, number>;
  /** Where reading stopped: the end of the document, or the first character that is not JSON. */
  end: number;
}

/** Reads a JSON text once, noting where each value starts, up to the end or the first fault. */
function scanJson(text: string): Scan {
  const offsets = new Map<string, number>();
  let i = 0;

  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const readString = (): string | undefined => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      i = start;
      return undefined;
    }
  };
  const value = (pointer: string, at: number, depth: number): boolean => {
    if (!offsets.has(pointer)) offsets.set(pointer, at);
    skipSpace();
    const c = text[i];
    if ((c === "{" || c === "[") && depth >= MAX_SCAN_DEPTH) return false;
    if (c === "{") {
      i++;
      skipSpace();
      if (text[i] === "}") return (i++, true);
      for (;;) {
        skipSpace();
        if (text[i] !== '"') return false;
        const keyAt = i;
        const key = readString();
        if (key === undefined) return false;
        skipSpace();
        if (text[i] !== ":") return false;
        i++;
        if (!value(`${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`, keyAt, depth + 1)) return false;
        skipSpace();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return (i++, true);
        else return false;
      }
    }
    if (c === "[") {
      i++;
      skipSpace();
      if (text[i] === "]") return (i++, true);
      for (let index = 0; ; index++) {
        skipSpace();
        if (!value(`${pointer}/${index}`, i, depth + 1)) return false;
        skipSpace();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return (i++, true);
        else return false;
      }
    }
    if (c === '"') return readString() !== undefined;
    const literal = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (literal === null) return false;
    i += literal[0].length;
    return true;
  };

  skipSpace();
  if (value("", i, 0)) skipSpace();
  return { offsets, end: i };
}

/**
 * Where each value of a JSON document starts, by its JSON Pointer (RFC 6901: "" the root,
 * "/channels/2/sensor"): an object member at its key, so an error points at the line that names
 * it; an array element at its first character. JSON.parse keeps no positions, so this reads the
 * text once more with a small scanner; a malformed text gives the positions read up to the fault.
 */
export function jsonPositions(text: string): Map<string, TextPosition> {
  const positions = new Map<string, TextPosition>();
  // offsets come in increasing order, so one walk over the text turns them all into lines and columns
  let line = 1;
  let lineStart = 0;
  let i = 0;
  for (const [pointer, offset] of scanJson(text).offsets) {
    for (; i < offset && i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    positions.set(pointer, { line, column: offset - lineStart + 1 });
  }
  return positions;
}

/** The offset of the first character where `text` stops being JSON (its length when it ends too early). */
export function jsonFaultOffset(text: string): number {
  return scanJson(text).end;
}

/** The position of `pointer`, or of its nearest ancestor that the text has. */
export function positionOf(positions: Map<string, TextPosition>, pointer: string): TextPosition | undefined {
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf("/"))) {
    const found = positions.get(p);
    if (found !== undefined || p === "") return found;
  }
}
