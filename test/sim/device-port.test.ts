import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadBoardProfile } from "../../boards/profile.ts";
import { validateRigConfig } from "../../boards/rig-config.ts";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import { decodeMessage } from "../../protocol/decode/message.ts";
import { buildFirmware } from "../../scripts/build/bundle.ts";
import { simProfile } from "../../sim/board-profile.ts";
import { Ads1115Twin } from "../../sim/chips/ads1115.ts";
import { startDevicePort, type DevicePort } from "../../sim/device-port/device-port.ts";
import { bytesToString } from "../../sim/runtime/bytes.ts";
import { SimBoard } from "../../sim/runtime/board.ts";
import { VirtualClock } from "../../sim/runtime/clock.ts";

const START_s = 1_800_000_000;
const linux = loadBoardProfile("linux");
const profile = simProfile(linux);

function portFor(clock: VirtualClock, serial: string): Promise<DevicePort> {
  return startDevicePort({
    clock,
    createBoard: (code, flash) => {
      const board = new SimBoard({ code, flash, profile, serial, clock });
      board.i2c("I2C1").attach(new Ads1115Twin(0x48));
      return board;
    },
  });
}

/** A raw console connection: what a terminal or upload tool sees. */
class Terminal {
  received = "";
  private constructor(private readonly socket: Socket) {
    socket.setEncoding("latin1");
    socket.on("data", (data: string) => (this.received += data));
  }

  static open(port: number): Promise<Terminal> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => resolve(new Terminal(socket)));
      socket.once("error", reject);
    });
  }

  /** Sends text and waits until what came back since matches `until`. */
  async send(text: string, until: RegExp): Promise<string> {
    const from = this.received.length;
    this.socket.write(text, "latin1");
    const deadline = Date.now() + 5000;
    while (!until.test(this.received.slice(from))) {
      if (Date.now() > deadline) throw new Error(`no ${until} after ${JSON.stringify(text)}; got ${JSON.stringify(this.received.slice(from))}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.received.slice(from);
  }

  close(): void {
    this.socket.destroy();
  }
}

describe("virtual device port: the console subset upload tools use", () => {
  let clock: VirtualClock;
  let port: DevicePort;
  let term: Terminal;

  beforeAll(async () => {
    clock = new VirtualClock(START_s);
    port = await portFor(clock, "console-1");
  });
  afterEach(() => term?.close());
  afterAll(async () => port?.close());

  it("answers a newline with a prompt, echoes what is typed and prints the result after =", async () => {
    term = await Terminal.open(port.port);
    expect(await term.send("\n", />$/)).toBe("\r\n>");
    expect(await term.send("1+2\r\n", />$/)).toBe("1+2\r\n=3\r\n>");
    expect(await term.send("({a: 1.5, \"b-c\": [1, \"x\"]})\n", />$/)).toContain("={ a: 1.5, \"b-c\": [ 1, \"x\" ] }\r\n>");
  });

  it("does not echo a line that starts with DLE, nor print its value", async () => {
    term = await Terminal.open(port.port);
    await term.send("\n", />$/);
    const out = await term.send("\x10var quiet = 6 * 7\n\x10print('q=' + quiet)\n", /q=42\r\n>$/);
    expect(out).not.toContain("var quiet");
    expect(out).not.toContain("=undefined");
  });

  it("runs a statement spread over lines once its brackets close, and skips Alt-Enter and line-number sequences", async () => {
    term = await Terminal.open(port.port);
    await term.send("\n", />$/);
    expect(await term.send("function twice(x) {\n", /:$/)).toBe("function twice(x) {\r\n:");
    await term.send("  return 2 * x;\n", /:$/);
    await term.send("}\n", />$/);
    expect(await term.send("twice(21)\n", />$/)).toContain("=42");
    await term.send("\x10\x1b[12dvar s = [1,\x1b\n2,\x1b\n3]\n", />$/);
    expect(await term.send("s.length\n", />$/)).toContain("=3");
  });

  it("reads process.env between markers as the tools do, naming the built-in modules", async () => {
    term = await Terminal.open(port.port);
    await term.send("\n", />$/);
    const out = await term.send('\x10print("<","<<",JSON.stringify(process.env),">>",">")\n', />> >/);
    const env = JSON.parse(out.slice(out.indexOf("< <<") + 4, out.indexOf(">> >"))) as Record<string, string>;
    expect(env).toMatchObject({ VERSION: "2v29", BOARD: "linux", SERIAL: "console-1", CONSOLE: "Telnet" });
    expect(env.MODULES!.split(",")).toEqual(expect.arrayContaining(["net", "Storage"]));
  });

  it("refuses what the interpreter refuses, through the bundle gate", async () => {
    term = await Terminal.open(port.port);
    await term.send("\n", />$/);
    expect(await term.send("\x10var {a} = {a: 1}\n", />$/)).toMatch(/Uncaught SyntaxError: .*line 1/);
    expect(await term.send("\x10(function () { return later; var later = 1; function f() {} })\n", />$/)).toBe("\r \rUncaught ReferenceError: later is not defined\r\n>");
    expect(await term.send("\x10nothing.here\n", />$/)).toContain("Uncaught ReferenceError: nothing is not defined");
  });

  it("clears the line on Ctrl-C", async () => {
    term = await Terminal.open(port.port);
    await term.send("\n", />$/);
    await term.send("oops(", /oops\($/);
    await term.send("\x03", /\x08$/);
    expect(await term.send("7\n", />$/)).toContain("=7");
  });

  it("keeps Storage over reset() and runs the saved program on load(), E.reboot() and power-on", async () => {
    term = await Terminal.open(port.port);
    await term.send("\n", />$/);
    await term.send("\x10var before = 1\n", />$/);
    await term.send('\x10require("Storage").write(".bootcde", "print(\\"saved program runs\\"); var booted = 1;")\n', />$/);
    await term.send("\x10reset();\n", />$/);
    expect(await term.send("typeof before + ' ' + typeof booted\n", />$/)).toContain('="undefined undefined"');
    expect(bytesToString(port.device.storage.get(".bootcde")!.data)).toContain("saved program runs");
    expect(await term.send("\x10load()\n", /saved program runs\r\n>$/)).toBeTruthy();
    expect(await term.send("booted\n", />$/)).toContain("=1");

    await term.send("\x10E.reboot()\n", />$/);
    expect(port.device.running()).toBe(false);
    clock.advanceBy(1.5);
    expect(port.device.running()).toBe(true);
    await term.send("", /saved program runs\r\n>$/);
    expect(await term.send("booted\n", />$/)).toContain("=1");
    expect(port.device.board.output).toContain("saved program runs");
  });
});

describe("virtual device port: the real espruino CLI uploads a built bundle", () => {
  let broker: EmbeddedBroker;
  let port: DevicePort;
  let dir: string;
  let bundleHash: string;
  let bundlePath: string;
  let clock: VirtualClock;

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
    const raw = JSON.parse(readFileSync(new URL("../../rigs/default.json", import.meta.url), "utf8"));
    raw.broker.port = broker.port;
    dir = mkdtempSync(join(tmpdir(), "cellrig-device-port-"));
    bundlePath = join(dir, "linux.js");
    const built = await buildFirmware({ board: linux, config: validateRigConfig(raw, linux), out: bundlePath });
    bundleHash = built.hash;
    // The tools look up a description of the board by its name; a local empty one keeps them offline.
    writeFileSync(join(dir, "linux.json"), "{}");
    clock = new VirtualClock(Date.now() / 1000);
    port = await portFor(clock, "cli-1");
  });

  afterAll(async () => {
    await port?.close();
    await broker?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function uploadAndWatch(extra: string[]): Promise<{ topics: string[]; birthHash: string; exit: number }> {
    const client = await mqtt.connectAsync(broker.url);
    const topics: string[] = [];
    let birthHash = "";
    client.on("message", (topic, payload) => {
      topics.push(topic);
      const birth = topic.endsWith("/birth") ? decodeMessage("birth", payload) : undefined;
      if (birth?.ok) birthHash = birth.message.fw.build;
    });
    await client.subscribeAsync("cellrig/v1/demo/cli-1/#", { qos: 1 });
    const realtime = clock.runRealtime({ speed: 1 });
    try {
      const cli = join("node_modules", "espruino", "bin", "espruino-cli.js");
      const args = [cli, "--no-ble", "-p", port.url, "--config", "MODULE_URL=", "--config", `BOARD_JSON_URL=${dir}`, ...extra, bundlePath];
      const exit = await new Promise<number>((resolve) => execFile(process.execPath, args, { timeout: 60_000 }, (err) => resolve(err ? ((err as { code?: number }).code ?? 1) : 0)));
      const deadline = Date.now() + 20_000;
      while (topics.filter((t) => t.endsWith("/data")).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return { topics, birthHash, exit };
    } finally {
      realtime.stop();
      await client.endAsync();
    }
  }

  it("names every module the bundle requires as built in, so the tools add no module loader to it", async () => {
    const required = [...readFileSync(bundlePath, "latin1").matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    const env = port.device.board.evaluate("process.env") as Record<string, string>;
    expect(required.length).toBeGreaterThan(0);
    expect(env.MODULES!.split(",")).toEqual(expect.arrayContaining(required));
  });

  it("to RAM: the board runs the bundle and publishes its birth and data", { timeout: 120_000 }, async () => {
    const { topics, birthHash, exit } = await uploadAndWatch([]);
    expect(exit).toBe(0);
    expect(topics).toContain("cellrig/v1/demo/cli-1/birth");
    expect(topics.filter((t) => t === "cellrig/v1/demo/cli-1/data").length).toBeGreaterThanOrEqual(2);
    expect(birthHash).toBe(bundleHash);
    expect(port.device.board.errors).toEqual([]);
  });

  it("to flash (SAVE_ON_SEND=1): the bundle is saved as .bootcde, loaded, and survives a reboot", { timeout: 120_000 }, async () => {
    const { topics, exit } = await uploadAndWatch(["--config", "SAVE_ON_SEND=1"]);
    expect(exit).toBe(0);
    expect(topics.filter((t) => t === "cellrig/v1/demo/cli-1/data").length).toBeGreaterThanOrEqual(2);
    expect(bytesToString(port.device.storage.get(".bootcde")!.data)).toBe(readFileSync(bundlePath, "latin1"));
    const boots = port.device.board.output.filter((line) => line.startsWith("cellrig: board cli-1"));
    expect(boots).toHaveLength(1);
    port.device.board.evaluate("E.reboot()");
    clock.advanceBy(1.5);
    expect(port.device.board.output.filter((line) => line.startsWith("cellrig: board cli-1"))).toHaveLength(1);
    expect(port.device.board.errors).toEqual([]);
  });
});
