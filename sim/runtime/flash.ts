/**
 * A board's Storage flash: named files laid out as Espruino's Storage library does it (a 32-byte
 * header per file: 4 bytes of size and flags, 28 of name; data padded to the flash's write
 * alignment). Erased flash reads 0xFF and a write can only clear bits, as on real NOR flash. The
 * board keeps the same SimFlash across reboots. Erased files are reclaimed at once: the library's
 * automatic compaction does the same when it runs out of room, just later.
 */

/** JsfFileHeader in the Espruino source (jsflash.h): uint32 size + 28-byte name. */
export const FILE_HEADER_BYTES = 32;
/** Longest Storage file name; longer names are cut to this length, silently, as the interpreter does. */
export const MAX_FILE_NAME_CHARS = 28;
/** JSF_ALIGNMENT on the ESP32 and nRF52 ports. */
const WRITE_ALIGNMENT_BYTES = 4;
/** A common flash erase page; StorageFile chunks are one page minus a file header. */
export const DEFAULT_FLASH_PAGE_BYTES = 4096;

/** The Storage library's messages (jsflash.c), so firmware that inspects them sees the board's text. */
export const STORAGE_ERRORS = {
  noRoom: "Unable to find or create file",
  tooMuchData: "Too much data for file size",
  alreadyWritten: "File already written with different data",
} as const;

export interface FlashFile {
  readonly data: Uint8Array;
  /** Chunk of a StorageFile (JSFF_STORAGEFILE): listed and erased differently. */
  readonly storageFile: boolean;
}

function footprint(size: number): number {
  return FILE_HEADER_BYTES + Math.ceil(size / WRITE_ALIGNMENT_BYTES) * WRITE_ALIGNMENT_BYTES;
}

export class SimFlash {
  private readonly files = new Map<string, FlashFile>();

  constructor(
    readonly size_bytes: number,
    readonly page_bytes: number = DEFAULT_FLASH_PAGE_BYTES,
  ) {
    if (!(size_bytes > 0)) throw new RangeError(`flash size must be positive, got ${size_bytes} bytes`);
  }

  get(name: string): FlashFile | undefined {
    return this.files.get(name);
  }

  names(): string[] {
    return [...this.files.keys()];
  }

  /** Bytes not taken by any file or header. */
  unused_bytes(): number {
    let used = 0;
    for (const file of this.files.values()) used += footprint(file.data.length);
    return this.size_bytes - used;
  }

  /** Largest file (data bytes) that could still be created. */
  largestNewFile_bytes(): number {
    const room = this.unused_bytes() - FILE_HEADER_BYTES;
    return room <= 0 ? 0 : Math.floor(room / WRITE_ALIGNMENT_BYTES) * WRITE_ALIGNMENT_BYTES;
  }

  /** Creates an erased (all 0xFF) file, replacing any of that name; false when it does not fit. */
  create(name: string, size: number, storageFile: boolean): FlashFile | undefined {
    const old = this.files.get(name);
    const room = this.unused_bytes() + (old === undefined ? 0 : footprint(old.data.length));
    if (footprint(size) > room) return undefined;
    const file = { data: new Uint8Array(size).fill(0xff), storageFile };
    this.files.set(name, file);
    return file;
  }

  erase(name: string): boolean {
    return this.files.delete(name);
  }

  eraseAll(): void {
    this.files.clear();
  }

  /** Programs bytes: flash can only clear bits, so the result is the AND of old and new. */
  program(file: FlashFile, offset: number, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) file.data[offset + i] = file.data[offset + i]! & bytes[i]!;
  }
}
