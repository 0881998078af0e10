import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";

export interface StaticFile {
  body: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

const PUBLIC = new URL("./public/", import.meta.url);
const require = createRequire(import.meta.url);

/** uPlot is served from its installed package, unchanged, so the repository holds no copy of it. */
const VENDOR: Record<string, string> = {
  "/vendor/uPlot.esm.js": require.resolve("uplot/dist/uPlot.esm.js"),
  "/vendor/uPlot.min.css": require.resolve("uplot/dist/uPlot.min.css"),
};

/** The page's own files: a flat folder of names like `cell.js`; nothing outside it can be named. */
const PAGE_FILE = /^\/([a-z][a-z0-9-]*\.(?:js|css|html))$/;

/**
 * Reads the page and its scripts once, at start: the set is small and fixed, and a running server
 * then never touches the file system for a request.
 */
export async function loadStaticFiles(): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  for (const name of await readdir(PUBLIC)) {
    if (!PAGE_FILE.test(`/${name}`)) continue;
    files.set(`/${name}`, { body: await readFile(new URL(name, PUBLIC)), type: TYPES[extname(name)]! });
  }
  for (const [path, file] of Object.entries(VENDOR)) files.set(path, { body: await readFile(file), type: TYPES[extname(file)]! });
  const index = files.get("/index.html");
  if (index === undefined) throw new Error(`the dashboard page is missing: ${fileURLToPath(new URL("index.html", PUBLIC))}`);
  files.set("/", index);
  return files;
}
