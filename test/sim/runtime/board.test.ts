import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { bootBoard, START_s } from "./board-fixture.ts";

describe("SimBoard timers", () => {
  it("gives each callback its scheduled time from getTime()", () => {
    const board = bootBoard(`
      var t0 = getTime();
      setTimeout(function () { print("timeout", getTime() - t0); }, 250);
      var n = 0;
      var id = setInterval(function () { n++; print("tick", getTime() - t0); if (n === 3) clearInterval(id); }, 100);
    `);
    board.clock.advanceBy(1);
    const lines = board.output.map((line) => line.split(" "));
    expect(lines.map(([what]) => what)).toEqual(["tick", "tick", "timeout", "tick"]);
    // Unix seconds near 1.7e9 resolve to about 2.4e-7 s as doubles, on the board too.
    [0.1, 0.2, 0.25, 0.3].forEach((t, i) => expect(Number(lines[i]![1])).toBeCloseTo(t, 6));
  });

  it("logs an uncaught error in a callback and keeps running the other timers", () => {
    const board = bootBoard(`
      var count = 0;
      setInterval(function () { count++; }, 100);
      setInterval(function () { throw new Error("sensor gone"); }, 250);
      setTimeout(function () { print("count " + count); }, 1050);
    `);
    const uncaught: string[] = [];
    board.on("uncaught", (e) => uncaught.push(e.message));
    board.clock.advanceBy(1.1);
    expect(uncaught).toEqual(["sensor gone", "sensor gone", "sensor gone", "sensor gone"]);
    expect(board.errors[0]).toMatchObject({ name: "Error", where: "callback", time_s: START_s + 0.25 });
    expect(board.output).toContain("Uncaught Error: sensor gone");
    expect(board.output).toContain("count 10");
  });

  it("throws Unknown Timeout when clearing a timeout that already ran, as the interpreter does", () => {
    const board = bootBoard(`
      var id = setTimeout(function () {}, 10);
      setTimeout(function () { clearTimeout(id); }, 20);
    `);
    board.clock.advanceBy(1);
    expect(board.errors.map((e) => e.message)).toEqual(["Unknown Timeout"]);
  });

  it("runs Promise reactions on the board's time line and reports unhandled rejections", () => {
    const board = bootBoard(`
      Promise.resolve(2).then(function (v) { print("then " + v + " at " + (getTime() - ${START_s})); });
      new Promise(function (_, reject) { reject(new Error("nobody listens")); });
    `);
    expect(board.output).toEqual([]);
    board.clock.advanceBy(0);
    expect(board.output).toContain("then 2 at 0");
    expect(board.errors).toMatchObject([{ where: "promise", message: "nobody listens" }]);
  });
});

describe("SimBoard reboot and watchdog", () => {
  it("reboots when the firmware stops kicking the watchdog, and runs the bundle again", () => {
    const board = bootBoard(`
      print("boot at " + (getTime() - ${START_s}));
      E.enableWatchdog(2, false);
      var kicks = 0;
      setInterval(function () { if (kicks++ < 3) E.kickWatchdog(); }, 1000);
    `);
    board.clock.advanceBy(10);
    expect(board.reboots[0]).toEqual({ time_s: START_s + 5, reason: "watchdog" });
    expect(board.output.slice(0, 2)).toEqual(["boot at 0", "boot at 6"]);
  });

  it("does not fire a watchdog the interpreter kicks itself", () => {
    const board = bootBoard(`E.enableWatchdog(1);`);
    board.clock.advanceBy(60);
    expect(board.reboots).toEqual([]);
  });

  it("leaves no timers of the old boot behind after a reboot", () => {
    const board = bootBoard(`setInterval(function () { print("tick"); }, 100);`);
    board.reboot();
    board.reboot();
    board.clock.advanceBy(0.1);
    expect(board.output).toEqual(["tick"]);
    expect(board.clock.pending()).toBe(1);
    board.close();
    expect(board.clock.pending()).toBe(0);
  });

  it("restarts after E.reboot() once the current callback has finished", () => {
    const board = bootBoard(`print("up"); setTimeout(function () { E.reboot(); print("finishing"); }, 100);`);
    board.clock.advanceBy(1.5);
    expect(board.reboots.map((r) => r.reason)).toEqual(["E.reboot", "E.reboot"]);
    expect(board.output.slice(0, 3)).toEqual(["up", "finishing", "up"]);
  });
});

describe("SimBoard memory estimate", () => {
  it("grows when the bundle allocates an array of 1000 numbers", () => {
    const board = bootBoard(`
      var memory = [];
      var samples = [];
      memory.push(process.memory().usage);
      setTimeout(function () {
        samples = [];
        for (var i = 0; i < 1000; i++) samples.push(i + 0.5);
        memory.push(process.memory().usage);
        print(memory[0], memory[1]);
      }, 10);
    `);
    board.clock.advanceBy(1);
    const [before, after] = board.output[0]!.split(" ").map(Number) as [number, number];
    // 1000 elements: one JsVar per element name plus one per float value.
    expect(after - before).toBeGreaterThan(1900);
    expect(after - before).toBeLessThan(2200);
    expect(board.memory().peak).toBeGreaterThanOrEqual(after);
    expect(board.memory().total).toBe(16_383);
  });

  it("raises the MEMORY error flag when the estimate passes the budget", () => {
    const board = bootBoard(`
      var big = [];
      for (var i = 0; i < 2000; i++) big.push("item number " + i);
      E.on("errorFlag", function (flags) { print("flags " + flags.join(",")); });
      process.memory();
    `, { profile: { id: "ESP8266", jsvars: 1600, storageBytes: 4096 } });
    board.clock.advanceBy(0);
    expect(board.output).toContain("flags MEMORY");
  });
});

describe("E", () => {
  it("computes the standard CRC-32", () => {
    const board = bootBoard(`print(E.CRC32("123456789"), E.CRC32([0xff, 0x00, 0x10]), E.CRC32(new Uint8Array(0)));`);
    expect(board.output).toEqual([`${0xcbf43926} ${zlib.crc32(Buffer.from([0xff, 0x00, 0x10]))} 0`]);
  });

  it("converts between byte strings and Uint8Arrays without losing 0x00 or 0xFF", () => {
    const board = bootBoard(`
      var bytes = E.toUint8Array("\\x00\\xff\\x7fA");
      print(bytes instanceof Uint8Array, bytes.length, bytes[0], bytes[1], bytes[2], bytes[3]);
      print(E.toString(new Uint8Array([0, 255, 65])) === "\\x00\\xffA");
    `);
    expect(board.output).toEqual(["true 4 0 255 127 65", "true"]);
  });

  it("reports the board serial and the interpreter's missing-module error", () => {
    const board = bootBoard(`print(getSerial()); require("http");`);
    expect(board.output[0]).toBe("0123456789ab");
    expect(board.errors[0]).toMatchObject({ name: "Error", message: 'Module "http" not found' });
  });
});
