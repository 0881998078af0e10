import { bytesToString, dataToBytes } from "./bytes.ts";
import { MAX_FILE_NAME_CHARS, STORAGE_ERRORS, type SimFlash } from "./flash.ts";
import type { Realm } from "./realm.ts";
import { openStorageFile, STORAGE_FILE_MARKER } from "./storage-file.ts";

/**
 * `require("Storage")`, following jswrap_storage.c and jsfWriteFile() in jsflash.c of the Espruino
 * source: a write at offset 0 creates the file (of `size` bytes if given, the rest erased to 0xFF);
 * later writes at an offset fill erased parts of it; writing over bytes already written, past the
 * file's size, or into a file that does not exist throws, as does running out of flash.
 */

export function fileName(name: unknown): string {
  return String(name).slice(0, MAX_FILE_NAME_CHARS);
}

function isPlainObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value) &&
    Object.prototype.toString.call(value) === "[object Object]";
}

function isErased(data: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (data[i] !== 0xff) return false;
  return true;
}

export function createStorageModule(realm: Realm, flash: SimFlash): object {
  const write = (nameArg: unknown, data: unknown, offsetArg?: unknown, sizeArg?: unknown): boolean => {
    const name = fileName(nameArg);
    let offset = Number(offsetArg ?? 0) | 0;
    let size = Number(sizeArg ?? 0) | 0;
    let bytes: Uint8Array;
    if (isPlainObject(data)) {
      bytes = dataToBytes(realm, realm.stringifyJSON(data) ?? "", "Storage.write data");
      offset = 0;
      size = 0;
    } else {
      bytes = dataToBytes(realm, data, "Storage.write data");
    }
    if (offset < 0 || size < 0) return false;
    if (size === 0) size = bytes.length;
    let file = flash.get(name);
    const recreate = offset === 0 && (file === undefined || file.storageFile || file.data.length !== size || !isErased(file.data, 0, size));
    if (recreate) {
      if (file !== undefined && !file.storageFile && file.data.length === size && bytes.length === size && file.data.every((b, i) => b === bytes[i])) {
        return true;
      }
      file = flash.create(name, size, false);
    }
    if (file === undefined) throw realm.error("Error", STORAGE_ERRORS.noRoom);
    if (offset + bytes.length > file.data.length) throw realm.error("Error", STORAGE_ERRORS.tooMuchData);
    if (!isErased(file.data, offset, offset + bytes.length)) throw realm.error("Error", STORAGE_ERRORS.alreadyWritten);
    flash.program(file, offset, bytes);
    return true;
  };

  const read = (nameArg: unknown, offsetArg?: unknown, lengthArg?: unknown): string | undefined => {
    const file = flash.get(fileName(nameArg));
    if (file === undefined) return undefined;
    const offset = Math.max(0, Number(offsetArg ?? 0) | 0);
    const length = Number(lengthArg ?? 0) | 0;
    const end = length > 0 ? Math.min(file.data.length, offset + length) : file.data.length;
    return bytesToString(file.data.subarray(offset, end));
  };

  return realm.object({
    write,
    read,
    readArrayBuffer(nameArg: unknown): ArrayBuffer | undefined {
      const file = flash.get(fileName(nameArg));
      return file === undefined ? undefined : realm.arrayBuffer(file.data);
    },
    readJSON(nameArg: unknown, noExceptions?: unknown): unknown {
      const text = read(nameArg);
      if (text === undefined) return undefined;
      try {
        return realm.parseJSON(text);
      } catch (err) {
        if (noExceptions) return undefined;
        throw err;
      }
    },
    writeJSON(nameArg: unknown, data: unknown): boolean {
      return write(nameArg, realm.stringifyJSON(data) ?? "");
    },
    erase(nameArg: unknown): void {
      flash.erase(fileName(nameArg));
    },
    eraseAll(): void {
      flash.eraseAll();
    },
    compact(): void {
      // Erased files are reclaimed as soon as they are erased (see flash.ts).
    },
    getFree(): number {
      return flash.largestNewFile_bytes();
    },
    /** Like the interpreter: a StorageFile shows as its first chunk ("name\x01"), or by name with {sf: true}. */
    list(pattern?: unknown, filter?: { sf?: boolean }): string[] {
      const names: string[] = [];
      for (const name of flash.names()) {
        const file = flash.get(name)!;
        let shown = name;
        if (file.storageFile) {
          if (filter?.sf === false || !name.endsWith(STORAGE_FILE_MARKER)) continue;
          if (filter?.sf === true) shown = name.slice(0, -1);
        } else if (filter?.sf === true) continue;
        if (pattern !== undefined && shown.match(pattern as RegExp | string) === null) continue;
        names.push(shown);
      }
      return realm.array(names);
    },
    open(nameArg: unknown, mode: unknown): object {
      return openStorageFile(realm, flash, nameArg, mode);
    },
  });
}
