import { describe, expect, it } from "vitest";
import { SimFlash } from "../../../sim/runtime/flash.ts";
import { bootBoard } from "./board-fixture.ts";

function run(code: string, flash = new SimFlash(16_384)) {
  const board = bootBoard(`var s = require("Storage");\n${code}`, { flash });
  return { board, flash, output: board.output, errors: board.errors };
}

describe("Storage", () => {
  it("writes, reads and lists files, and keeps them across a reboot", () => {
    const { board } = run(`
      if (s.read("cfg") === undefined) { s.writeJSON("cfg", { rate: 2.5, name: "p1" }); print("written"); }
      print(JSON.stringify(s.readJSON("cfg")), JSON.stringify(s.list()));
    `);
    board.reboot();
    expect(board.output).toEqual(["written", '{"rate":2.5,"name":"p1"} ["cfg"]', '{"rate":2.5,"name":"p1"} ["cfg"]']);
  });

  it("creates a file of a given size and fills it at offsets, erased bytes reading 0xFF", () => {
    const { output, errors } = run(`
      s.write("a", "Hello", 0, 14);
      s.write("a", " ", 5);
      s.write("a", "World!!!", 6);
      print(s.read("a"));
      s.write("b", "ab", 0, 4);
      print(JSON.stringify(s.read("b").split("").map(function (c) { return c.charCodeAt(0); })));
      s.write("a", "X", 0);
    `);
    expect(output.slice(0, 2)).toEqual(["Hello World!!!", "[97,98,255,255]"]);
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it("throws when writing over data already written, past the file's end, or into a missing file", () => {
    for (const [code, message] of [
      [`s.write("f", "abc", 0, 8); s.write("f", "z", 1);`, "File already written with different data"],
      [`s.write("f", "abc", 0, 4); s.write("f", "yz", 3);`, "Too much data for file size"],
      [`s.write("nothere", "x", 2);`, "Unable to find or create file"],
    ] as const) {
      expect(run(code).errors.map((e) => e.message)).toEqual([message]);
    }
  });

  it("keeps binary data exact, 0x00 and 0xFF included", () => {
    const { output } = run(`
      s.write("bin", new Uint8Array([0, 255, 1, 254]));
      var back = new Uint8Array(s.readArrayBuffer("bin"));
      print(back.length, back[0], back[1], back[2], back[3]);
    `);
    expect(output).toEqual(["4 0 255 1 254"]);
  });

  it("reduces getFree by each file's size and header, and gives the space back on erase", () => {
    const { output } = run(`
      var before = s.getFree();
      s.write("big", new Uint8Array(1000));
      var during = s.getFree();
      s.erase("big");
      print(before - during, s.getFree() === before);
    `);
    expect(output).toEqual(["1032 true"]);
  });

  it("refuses a file that does not fit, as the board does when flash is full", () => {
    const { output, errors } = run(`
      s.write("fill", new Uint8Array(s.getFree()));
      print(s.getFree());
      s.write("more", "x");
    `, new SimFlash(4096));
    expect(output[0]).toBe("0");
    expect(errors.map((e) => e.message)).toEqual(["Unable to find or create file"]);
  });

  it("cuts names to 28 characters, silently", () => {
    const { output } = run(`s.write("abcdefghijklmnopqrstuvwxyz0123456789", "v"); print(s.list()[0].length);`);
    expect(output).toEqual(["28"]);
  });
});

describe("StorageFile", () => {
  it("appends across opens and reads lines back", () => {
    const { output } = run(`
      var f = s.open("log", "a");
      f.write("one\\n");
      f = s.open("log", "a");
      f.write("two\\n");
      var r = s.open("log", "r");
      print(JSON.stringify([r.readLine(), r.readLine(), r.readLine()]), s.open("log", "r").getLength());
      print(JSON.stringify(s.list()), JSON.stringify(s.list(undefined, { sf: true })));
    `);
    expect(output).toEqual([`["one\\n","two\\n",null] 8`, `["log\\u0001"] ["log"]`]);
  });

  it("ends the file at the first 0xFF byte: data after it is lost", () => {
    const { output } = run(`
      var f = s.open("raw", "w");
      f.write("ab\\xffcd");
      var r = s.open("raw", "r");
      print(r.read(10), r.read(10), s.open("raw", "r").getLength());
    `);
    expect(output).toEqual(["ab undefined 2"]);
  });

  it("spreads a long file over page-sized chunks and reads it back whole", () => {
    const { output } = run(`
      var f = s.open("long", "w");
      var line = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\\n";
      for (var i = 0; i < 100; i++) f.write(line);
      var r = s.open("long", "r");
      var all = "", piece;
      while ((piece = r.read(500)) !== undefined) all += piece;
      print(all.length, all === new Array(101).join(line), r.getLength());
    `);
    expect(output).toEqual(["6400 true 6400"]);
  });
});
