// The few Espruino globals the firmware's transport code calls, for running it under Node.
// E.toString / E.toUint8Array convert between byte arrays and latin1 byte strings, as on a board.

interface EspruinoE {
  toString(data: Uint8Array): string;
  toUint8Array(data: string): Uint8Array;
}

const g = globalThis as unknown as { E?: EspruinoE; getTime?: () => number };

export function installEspruinoGlobals(): void {
  g.E = {
    toString: (data) => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("latin1"),
    toUint8Array: (data) => new Uint8Array(Buffer.from(data, "latin1")),
  };
  g.getTime = () => Date.now() / 1000;
}

export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("latin1");
}

export function fromLatin1(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "latin1"));
}
