import { createRequire } from "node:module";
import { connect } from "node:net";

/**
 * espruino-tools (npm `espruino`), used as a library: the same connection, upload and save-to-flash
 * code as the `espruino` command, over a serial port, a Bluetooth LE address or `tcp://host:port`.
 *
 * It is a set of browser scripts run in Node's global scope: one instance per process, configured
 * through the global `Espruino.Config`, logging through `console`. So one link at a time, and
 * `console` is quiet while a link is open (its lines go to `log`). Settings that reach for the
 * internet are off: no module fetching (firmware bundles carry their modules), every URL the tools
 * would fetch (board descriptions) answers empty, and Bluetooth stays off unless the port is a
 * Bluetooth address, because starting it needs DBus.
 */

export interface EspruinoLinkOptions {
  /** A serial port (/dev/ttyUSB0, COM3), a Bluetooth LE address (aa:bb:cc:dd:ee:ff) or tcp://host:port. */
  port: string;
  /** Everything the tools and the board print, line by line, for a verbose mode. */
  log?: (line: string) => void;
}

export interface SendOptions {
  /** Write the code to flash as the saved program (.bootcde) instead of running it from RAM. */
  toFlash: boolean;
  /** reset() before sending, so the program running now stops and frees its memory. */
  resetFirst: boolean;
  /** 0 to 1 as the code goes out. */
  onProgress?: (fraction: number) => void;
}

export interface EspruinoLink {
  /** process.env as the board reported it (BOARD, VERSION, SERIAL, ...). */
  readonly env: Readonly<Record<string, unknown>>;
  /**
   * Sends code as `espruino` uploads a file: through the tools' transforms (with `toFlash`, into
   * Storage writes of .bootcde), one statement per line. Resolves once the board has taken it all
   * and gone quiet; rejects if the board printed an error meanwhile.
   */
  send(code: string, options: SendOptions): Promise<void>;
  /** The value of `expression` on the board, as the tools read it: through JSON.stringify on the board. */
  evaluate(expression: string): Promise<unknown>;
  /** Statements that write `contents` to the Storage file `name`, as the tools upload files. */
  storageWriteCode(name: string, contents: string): string;
  close(): Promise<void>;
}

/** A Bluetooth LE address; anything else is a serial port or tcp://. */
export function isBluetoothAddress(port: string): boolean {
  return /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(port);
}

/** How long the board must stay silent after the last byte before a send counts as taken. */
const QUIET_ms = 500;
/** Longest wait for that silence: a board that keeps printing is not waited for forever. */
const SETTLE_LIMIT_ms = 10_000;
const CONNECT_TIMEOUT_ms = 15_000;

interface Espruino {
  Config: Record<string, unknown>;
  Core: {
    Serial: {
      open(port: string, connected: (status: unknown) => void, disconnected: () => void): void;
      close(): void;
      isConnected(): boolean;
      startListening(listener: (data: ArrayBuffer) => void): unknown;
    };
    CodeWriter: { writeToEspruino(code: string, done: () => void): void };
    Env: { getData(): Record<string, unknown> };
    Utils: {
      getUploadFileCode(name: string, contents: string): string;
      addRecognisedDeviceAddress(address: string): void;
      executeExpression(expression: string, done: (result: string | undefined) => void): void;
    };
    Notifications: Record<"success" | "error" | "warning" | "info", (text: string) => void>;
    Status: { setStatus(text: string, max?: number): void; hasProgress(): boolean; incrementProgress(amount: number): void };
  };
  addProcessor(name: string, processor: (data: unknown, next: (data: unknown) => void) => void): void;
  callProcessor(name: string, data: unknown, done: (data: unknown) => void): void;
}

let loaded: Promise<Espruino> | undefined;
let open = false;

export async function connectEspruino(options: EspruinoLinkOptions): Promise<EspruinoLink> {
  if (open) throw new Error("an Espruino link is already open in this process; close it first");
  open = true;
  const log = options.log ?? (() => {});
  const restoreConsole = quietConsole(log);
  try {
    if (options.port.startsWith("tcp://")) await probeTcp(options.port);
    const espruino = await load();
    configure(espruino, options.port);
    return await openLink(espruino, options.port, log, restoreConsole);
  } catch (err) {
    restoreConsole();
    open = false;
    throw err;
  }
}

function load(): Promise<Espruino> {
  loaded ??= new Promise((resolve, reject) => {
    let tools: { init(done: () => void): void };
    try {
      tools = createRequire(import.meta.url)("espruino") as typeof tools;
    } catch (err) {
      reject(new Error(`espruino-tools (npm "espruino") cannot be loaded: ${(err as Error).message}; run npm install`));
      return;
    }
    tools.init(() => {
      const espruino = (globalThis as unknown as { Espruino: Espruino }).Espruino;
      // Offline: the board JSON and anything else the tools would download answers empty.
      espruino.addProcessor("getURL", (request, next) => next({ ...(request as object), data: "" }));
      resolve(espruino);
    });
  });
  return loaded;
}

function configure(espruino: Espruino, port: string): void {
  const bluetooth = isBluetoothAddress(port);
  Object.assign(espruino.Config, {
    BLUETOOTH_LOW_ENERGY: bluetooth,
    BLUETOOTH_LOW_ENERGY_DBUS: bluetooth,
    MODULE_URL: "",
    SERIAL_TCPIP: port.startsWith("tcp://") ? [port] : [],
    // The interpreter's clock is the firmware's business (its birth says which clock it uses).
    SET_TIME_ON_WRITE: false,
    MINIFICATION_LEVEL: "",
    PRETOKENISE: 0,
    // The load() that starts the program is sent by the caller, after the configuration is written.
    LOAD_STORAGE_FILE: 0,
  });
  if (bluetooth) espruino.Core.Utils.addRecognisedDeviceAddress(port);
}

function openLink(espruino: Espruino, port: string, log: (line: string) => void, restoreConsole: () => void): Promise<EspruinoLink> {
  const { Serial } = espruino.Core;
  const problems: string[] = [];
  espruino.Core.Notifications = {
    success: log,
    info: log,
    warning: (text) => log(`warning: ${text}`),
    error: (text) => {
      log(`error: ${text}`);
      problems.push(text);
    },
  };
  let received = "";
  let lastData_ms = Date.now();
  let disconnected = false;
  /** Errors the board prints while a send is under way. */
  let boardErrors: string[] | undefined;
  Serial.startListening((data) => {
    lastData_ms = Date.now();
    received += Buffer.from(data).toString("latin1");
    const lines = received.split("\n");
    received = lines.pop()!;
    for (const raw of lines) {
      // A prompt erased and redrawn leaves its remains before the text, up to the last carriage return.
      const line = raw.replace(/\r$/, "").slice(raw.lastIndexOf("\r", raw.length - 2) + 1).replace(/\x08/g, "");
      const uncaught = line.indexOf("Uncaught ");
      if (uncaught >= 0) boardErrors?.push(line.slice(uncaught));
      log(`board: ${line}`);
    }
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no answer from ${port} within ${CONNECT_TIMEOUT_ms / 1000} s (check the port, that the board is powered and that nothing else holds the port)`)), CONNECT_TIMEOUT_ms);
    const fail = (err: Error) => {
      clearTimeout(timer);
      if (Serial.isConnected()) Serial.close();
      reject(err);
    };
    Serial.open(
      port,
      (status) => {
        clearTimeout(timer);
        if (status === undefined || status instanceof Error) {
          fail(new Error(`cannot open ${port}${problems.length > 0 ? `: ${problems.join("; ")}` : ""} (check the port name, permissions, and that no other program holds it)`));
          return;
        }
        const env = { ...espruino.Core.Env.getData() };
        if (env.VERSION === undefined) {
          fail(new Error(`${port} answered but is not an Espruino console: process.env could not be read (check that the board runs the Espruino interpreter and the baud rate)`));
          return;
        }
        resolve(link(env));
      },
      () => {
        disconnected = true;
      },
    );
  });

  function link(env: Record<string, unknown>): EspruinoLink {
    return {
      env,
      storageWriteCode: (name, contents) => espruino.Core.Utils.getUploadFileCode(name, contents),
      evaluate(expression) {
        if (disconnected) return Promise.reject(new Error(`${port} is disconnected`));
        return new Promise((resolve, reject) =>
          espruino.Core.Utils.executeExpression(expression, (result) => {
            if (result === undefined) {
              reject(new Error(`${port} gave no answer for ${expression} (is the board busy or printing?)`));
              return;
            }
            try {
              resolve(JSON.parse(result));
            } catch {
              reject(new Error(`${port} answered ${expression} with ${JSON.stringify(result.slice(0, 80))}, not JSON`));
            }
          }),
        );
      },
      async send(code, options) {
        if (disconnected) throw new Error(`${port} is disconnected`);
        espruino.Config.SAVE_ON_SEND = options.toFlash ? 1 : 0;
        espruino.Config.RESET_BEFORE_SEND = options.resetFirst;
        const transformed = padToBlock(await new Promise<string>((done) => espruino.callProcessor("transformForEspruino", code, (out) => done(out as string))));
        const errorsBefore = problems.length;
        const printed: string[] = [];
        boardErrors = printed;
        espruino.Core.Status = progressStatus(options.onProgress);
        try {
          await new Promise<void>((done) => espruino.Core.CodeWriter.writeToEspruino(transformed, done));
          await settle();
        } finally {
          boardErrors = undefined;
        }
        options.onProgress?.(1);
        const toolErrors = problems.slice(errorsBefore);
        if (disconnected) throw new Error(`${port} disconnected during the upload`);
        if (toolErrors.length > 0 || printed.length > 0) {
          throw new Error(`the upload to ${port} failed: ${[...toolErrors, ...printed].join("; ")}`);
        }
      },
      async close() {
        try {
          if (Serial.isConnected()) {
            await new Promise<void>((done) => {
              const check = setInterval(() => {
                if (!disconnected) return;
                clearInterval(check);
                done();
              }, 20);
              Serial.close();
              setTimeout(() => {
                clearInterval(check);
                done();
              }, 2000);
            });
          }
        } finally {
          restoreConsole();
          open = false;
        }
      },
    };
  }

  async function settle(): Promise<void> {
    const start_ms = Date.now();
    while (Date.now() - lastData_ms < QUIET_ms && Date.now() - start_ms < SETTLE_LIMIT_ms) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The tools' write block, chars (core/serial.js, writeSerialWorker). */
const WRITE_BLOCK_CHARS = 512;

/**
 * The tools call back from a write only when it is longer than one block, so a short send (a small
 * configuration and load()) would never finish. It is lengthened in front by a string statement:
 * the tools collapse whitespace and comments but keep tokens, and the board evaluates a string
 * silently on an echo-off line.
 */
function padToBlock(code: string): string {
  return code.length > WRITE_BLOCK_CHARS ? code : `"${" ".repeat(WRITE_BLOCK_CHARS - code.length)}";\n${code}`;
}

/**
 * The tools wait forever on a TCP port nobody listens on (they only notice a closed connection),
 * so a tcp:// port is tried first, with the tools' own reading of it (port 23 when none is given).
 */
function probeTcp(port: string): Promise<void> {
  const address = port.slice("tcp://".length);
  const colon = address.lastIndexOf(":");
  const host = colon < 0 ? address : address.slice(0, colon) || "localhost";
  const tcpPort = colon < 0 ? 23 : Number(address.slice(colon + 1));
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: tcpPort, timeout: CONNECT_TIMEOUT_ms });
    socket.once("connect", () => {
      socket.destroy();
      resolve();
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(new Error(`${port} did not accept a connection within ${CONNECT_TIMEOUT_ms / 1000} s (check the host and that the board is on the network)`));
    });
    socket.once("error", (err) => reject(new Error(`cannot connect to ${port}: ${err.message} (check the host and port, and that the board or simulator is running)`)));
  });
}

/** The tools report progress through a status bar; this turns it into a fraction of the code sent. */
function progressStatus(onProgress: ((fraction: number) => void) | undefined): Espruino["Core"]["Status"] {
  let total = 0;
  let sent = 0;
  return {
    setStatus(_text, max) {
      if (max !== undefined && max > 0) {
        total = max;
        sent = 0;
      }
    },
    hasProgress: () => total > 0,
    incrementProgress(amount) {
      if (total === 0) return;
      sent = Math.min(total, sent + amount);
      onProgress?.(sent / total);
    },
  };
}

/** Sends console output to `log` until the returned function is called. */
function quietConsole(log: (line: string) => void): () => void {
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  const sink = (...args: unknown[]) => log(args.map((a) => (typeof a === "string" ? a : String(a))).join(" "));
  Object.assign(console, { log: sink, info: sink, warn: sink, error: sink });
  return () => Object.assign(console, saved);
}
