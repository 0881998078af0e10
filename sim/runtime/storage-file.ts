import { bytesToString, stringToBytes } from "./bytes.ts";
import { FILE_HEADER_BYTES, MAX_FILE_NAME_CHARS, STORAGE_ERRORS, type SimFlash } from "./flash.ts";
import { espruinoNumberToString } from "./number-format.ts";
import type { Realm } from "./realm.ts";

/**
 * `require("Storage").open(name, mode)`, following the StorageFile code in jswrap_storage.c: the
 * file is a chain of page-sized chunks named name+"\x01", name+"\x02", ...; the end of the data is
 * the first 0xFF byte (erased flash), so data containing 0xFF is cut short when read back, and an
 * append after it programs over bytes already written.
 */

/** Suffix of a StorageFile's first chunk, the name under which Storage.list() shows it. */
export const STORAGE_FILE_MARKER = "\x01";
const LAST_CHUNK = 255;
const ERASED = 0xff;

type Mode = "r" | "w" | "a" | undefined;

export function openStorageFile(realm: Realm, flash: SimFlash, nameArg: unknown, modeArg: unknown): object {
  if (modeArg !== "r" && modeArg !== "w" && modeArg !== "a") {
    throw realm.error("Error", `Invalid mode ${JSON.stringify(String(modeArg))}`);
  }
  const base = String(nameArg).slice(0, MAX_FILE_NAME_CHARS - 1);
  const chunkBytes = flash.page_bytes - FILE_HEADER_BYTES;
  const chunkName = (chunk: number) => base + String.fromCharCode(chunk);
  const dataEnd = (data: Uint8Array) => {
    const end = data.indexOf(ERASED);
    return end < 0 ? data.length : end;
  };
  const eraseChunks = () => {
    for (let chunk = 1; flash.erase(chunkName(chunk)); chunk++);
  };

  let mode: Mode = modeArg;
  let chunk = 1;
  let offset = 0;
  if (mode === "w") eraseChunks();
  if (mode === "a") {
    let file = flash.get(chunkName(chunk));
    while (file !== undefined && file.data[file.data.length - 1] !== ERASED && chunk < LAST_CHUNK) {
      chunk++;
      file = flash.get(chunkName(chunk));
    }
    if (file !== undefined) offset = dataEnd(file.data);
  }

  const readUpTo = (wanted: number, untilNewline: boolean): string | undefined => {
    if (mode !== "r") throw realm.error("Error", "Can't read in this mode");
    let file = flash.get(chunkName(chunk));
    if (file === undefined) return undefined;
    let result: string | undefined;
    let left = wanted;
    while (left > 0) {
      if (offset >= chunkBytes) {
        offset = 0;
        if (chunk === LAST_CHUNK) return result;
        chunk++;
        file = flash.get(chunkName(chunk));
        if (file === undefined) return result;
      }
      const window = file.data.subarray(offset, offset + Math.min(left, chunkBytes - offset));
      let take = window.indexOf(ERASED);
      const stopped = take >= 0;
      if (!stopped) take = window.length;
      if (untilNewline) {
        const newline = window.subarray(0, take).indexOf(0x0a);
        if (newline >= 0) {
          take = newline + 1;
          left = take;
        }
      }
      if (take === 0) break;
      result = (result ?? "") + bytesToString(window.subarray(0, take));
      offset += take;
      left = stopped ? 0 : left - take;
    }
    return result;
  };

  const createChunk = (bytes: Uint8Array) => {
    const file = flash.create(chunkName(chunk), chunkBytes, true);
    if (file === undefined) throw realm.error("Error", STORAGE_ERRORS.noRoom);
    if (bytes.length > chunkBytes) throw realm.error("Error", STORAGE_ERRORS.tooMuchData);
    flash.program(file, 0, bytes);
    offset = bytes.length;
  };

  return realm.object({
    read(length: unknown): string | undefined {
      return readUpTo(Math.max(0, Number(length) | 0), false);
    },
    readLine(): string | undefined {
      return readUpTo(Number.MAX_SAFE_INTEGER, true);
    },
    getLength(): number {
      let length = 0;
      let n = 1;
      let file = flash.get(chunkName(n));
      while (file !== undefined && file.data[file.data.length - 1] !== ERASED && n < LAST_CHUNK) {
        length += file.data.length;
        n++;
        file = flash.get(chunkName(n));
      }
      return file === undefined ? length : length + dataEnd(file.data);
    },
    write(data: unknown): void {
      if (mode !== "w" && mode !== "a") throw realm.error("Error", "Can't write in this mode");
      const bytes = stringToBytes(typeof data === "number" ? espruinoNumberToString(data) : String(data));
      if (bytes.length === 0) return;
      const file = flash.get(chunkName(chunk));
      if (file === undefined) {
        createChunk(bytes);
        return;
      }
      const room = chunkBytes - offset;
      if (bytes.length < room) {
        flash.program(file, offset, bytes);
        offset += bytes.length;
        return;
      }
      flash.program(file, offset, bytes.subarray(0, room));
      if (chunk === LAST_CHUNK) throw realm.error("Error", "File too big!");
      chunk++;
      createChunk(bytes.subarray(room));
    },
    erase(): void {
      eraseChunks();
      chunk = 1;
      offset = 0;
      mode = undefined;
    },
  });
}
