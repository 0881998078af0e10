import net from "node:net";
import type { Duplex } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { SimBoard } from "../../../sim/runtime/board.ts";
import { SimNetwork } from "../../../sim/runtime/net.ts";
import { bootBoard } from "./board-fixture.ts";

const servers: net.Server[] = [];
const boards: SimBoard[] = [];

afterEach(() => {
  for (const board of boards.splice(0)) board.close();
  for (const server of servers.splice(0)) server.close();
});

async function listen(onConnection: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer(onConnection);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

function until(condition: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (condition()) resolve();
      else if (Date.now() - started > 5000) reject(new Error("condition not met within 5 s"));
      else setTimeout(check, 5);
    };
    check();
  });
}

describe("net", () => {
  it("exchanges bytes, 0x00 and 0xFF included, with a real TCP server", async () => {
    const received: Buffer[] = [];
    const port = await listen((socket) => {
      socket.on("data", (chunk) => received.push(chunk));
      socket.write(Buffer.from([0x00, 0xff, 0x41, 0x80]));
    });
    const board = bootBoard(`
      var got = "";
      var sock = require("net").connect({ host: "127.0.0.1", port: ${port} }, function () {
        sock.write("\\x00\\xff\\x10" + E.toString(new Uint8Array([0xfe, 0x00])));
      });
      sock.on("data", function (d) {
        got += d;
        if (got.length === 4) print(JSON.stringify(got.split("").map(function (c) { return c.charCodeAt(0); })));
      });
    `);
    boards.push(board);
    await until(() => board.output.length > 0 && Buffer.concat(received).length === 5);
    expect(board.output).toEqual(["[0,255,65,128]"]);
    expect([...Buffer.concat(received)]).toEqual([0x00, 0xff, 0x10, 0xfe, 0x00]);
    expect(board.errors).toEqual([]);
  });

  it("delivers end and close when the server hangs up, and errors in handlers stay on the board", async () => {
    const port = await listen((socket) => socket.end("bye"));
    const board = bootBoard(`
      var sock = require("net").connect({ host: "127.0.0.1", port: ${port} }, function () {});
      sock.on("data", function () { throw new Error("handler broke"); });
      sock.on("end", function () { print("end"); });
      sock.on("close", function () { print("close"); });
    `);
    boards.push(board);
    await until(() => board.output.includes("close"));
    expect(board.errors.map((e) => e.message)).toEqual(["handler broke"]);
    expect(board.output.filter((l) => !l.startsWith("Uncaught"))).toEqual(["end", "close"]);
  });

  it("reports a cut link as an error then a close, and closes sockets on reboot", async () => {
    let connections = 0;
    const port = await listen(() => connections++);
    const network = new SimNetwork();
    const board = bootBoard(`
      var sock = require("net").connect({ host: "127.0.0.1", port: ${port} }, function () { print("connected"); });
      sock.on("error", function (e) { print("error " + e.message); });
      sock.on("close", function () { print("close"); });
    `, { network });
    boards.push(board);
    await until(() => board.output.includes("connected"));
    network.cut();
    await until(() => board.output.includes("close"));
    expect(board.output).toEqual(["connected", "error Connection reset", "close"]);

    board.reboot();
    await until(() => network.openSockets() === 1 && board.output.filter((l) => l === "connected").length === 2);
    board.reboot();
    await until(() => connections === 3);
    await until(() => network.openSockets() === 1);
  });

  it("fails new connections while the network is unreachable", () => {
    const network = new SimNetwork();
    network.setReachable(false);
    const board = bootBoard(`
      var sock = require("net").connect({ host: "127.0.0.1", port: 1 }, function () { print("connected"); });
      sock.on("error", function (e) { print("error " + e.message); });
    `, { network });
    boards.push(board);
    board.clock.advanceBy(0);
    expect(board.output).toEqual(["error No connection"]);
  });
});

describe("net to a peer in this process", () => {
  /** A network whose every address is served by `serve`, on the in-memory end it is handed. */
  const inProcess = (serve: (stream: Duplex) => void) => new SimNetwork((host, port) => ({ host, port, accept: serve }));

  it("exchanges bytes, 0x00 and 0xFF included, as with a TCP server, after connecting", async () => {
    const received: Buffer[] = [];
    const network = inProcess((stream) => {
      stream.on("data", (chunk: Buffer) => received.push(chunk));
      stream.write(Buffer.from([0x00, 0xff, 0x41, 0x80]));
    });
    const board = bootBoard(`
      var got = "";
      var sock = require("net").connect({ host: "broker", port: 1883 }, function () {
        print("connected");
        sock.write("\\x00\\xff\\x10" + E.toString(new Uint8Array([0xfe, 0x00])));
      });
      sock.on("data", function (d) {
        got += d;
        if (got.length === 4) print(JSON.stringify(got.split("").map(function (c) { return c.charCodeAt(0); })));
      });
    `, { network });
    boards.push(board);
    expect(board.output).toEqual([]);
    await until(() => board.output.length === 2 && Buffer.concat(received).length === 5);
    expect(board.output).toEqual(["connected", "[0,255,65,128]"]);
    expect([...Buffer.concat(received)]).toEqual([0x00, 0xff, 0x10, 0xfe, 0x00]);
    expect(network.openSockets()).toBe(1);
    expect(board.errors).toEqual([]);
  });

  it("delivers data, end and close when the peer hangs up, and the socket is gone after", async () => {
    const network = inProcess((stream) => stream.end("bye"));
    const board = bootBoard(`
      var sock = require("net").connect({ host: "broker", port: 1883 }, function () {});
      sock.on("data", function (d) { print("data " + d); });
      sock.on("end", function () { print("end"); });
      sock.on("close", function () { print("close"); });
    `, { network });
    boards.push(board);
    await until(() => board.output.includes("close"));
    expect(board.output).toEqual(["data bye", "end", "close"]);
    await until(() => network.openSockets() === 0);
  });

  it("shows the peer the board's end(), a cut link and a reboot as the connection closing", async () => {
    const peers: Duplex[] = [];
    const closed: number[] = [];
    const network = inProcess((stream) => {
      const index = peers.push(stream) - 1;
      stream.resume();
      stream.on("close", () => closed.push(index));
    });
    const board = bootBoard(`
      var sock = require("net").connect({ host: "broker", port: 1883 }, function () { print("connected"); });
      sock.on("error", function (e) { print("error " + e.message); });
      sock.on("close", function () { print("close"); });
      function hangUp() { sock.end(); }
    `, { network });
    boards.push(board);
    await until(() => board.output.includes("connected"));
    network.cut();
    await until(() => board.output.includes("close") && closed.includes(0));
    expect(board.output).toEqual(["connected", "error Connection reset", "close"]);

    board.reboot();
    await until(() => board.output.filter((l) => l === "connected").length === 2);
    board.evaluate("hangUp()");
    await until(() => closed.includes(1) && board.output.filter((l) => l === "close").length === 2);
    board.reboot();
    await until(() => peers.length === 3 && network.openSockets() === 1);
    board.reboot();
    await until(() => closed.includes(2));
  });

  it("reports a refusal by the peer as a refused connection", async () => {
    const network = inProcess(() => {
      throw Object.assign(new Error("broker is closed"), { code: "ECONNREFUSED" });
    });
    const board = bootBoard(`
      var sock = require("net").connect({ host: "broker", port: 1883 }, function () { print("connected"); });
      sock.on("error", function (e) { print("error " + e.message); });
      sock.on("close", function () { print("close"); });
    `, { network });
    boards.push(board);
    await until(() => board.output.includes("close"));
    expect(board.output).toEqual(["error Connection refused", "close"]);
  });
});

describe("Wifi", () => {
  it("connects after a short virtual delay", () => {
    const board = bootBoard(`require("Wifi").connect("lab", { password: "x" }, function (err) { print("wifi " + err + " " + (getTime() > 0)); });`);
    boards.push(board);
    expect(board.output).toEqual([]);
    board.clock.advanceBy(5);
    expect(board.output).toEqual(["wifi null true"]);
  });
});
