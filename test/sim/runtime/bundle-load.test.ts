import { describe, expect, it } from "vitest";
import { bootBoard } from "./board-fixture.ts";

describe("loading a bundle", () => {
  it("refuses destructuring with a SyntaxError, as the interpreter does, and runs nothing", () => {
    const board = bootBoard(`print("ran");\nvar o = { a: 1 };\nvar { a } = o;`);
    expect(board.errors).toHaveLength(1);
    expect(board.errors[0]).toMatchObject({ name: "SyntaxError", where: "load" });
    expect(board.errors[0]!.message).toMatch(/line 3/);
    expect(board.output).not.toContain("ran");
  });

  it.each([
    ["spread", "f(...xs);"],
    ["default parameters", "function g(a = 1) { return a; }"],
    ["arrow functions in an ES5 bundle", "var h = () => 1;"],
  ])("refuses %s with a SyntaxError", (_what, code) => {
    const board = bootBoard(code);
    expect(board.errors[0]?.name).toBe("SyntaxError");
  });

  it("refuses a call to a function declared further down (no hoisting) with a ReferenceError", () => {
    const board = bootBoard(`print("start");\nstartUp();\nfunction startUp() { print("up"); }`);
    expect(board.errors).toHaveLength(1);
    expect(board.errors[0]).toMatchObject({ name: "ReferenceError", message: "startUp is not defined", where: "load" });
  });

  it("reports an error thrown at the top level and keeps what was scheduled before it", () => {
    const board = bootBoard(`setTimeout(function () { print("later"); }, 10);\nnull.x;`);
    expect(board.errors).toHaveLength(1);
    expect(board.errors[0]).toMatchObject({ name: "TypeError", where: "boot" });
    expect(board.output[0]).toMatch(/^Uncaught TypeError: /);
    board.clock.advanceBy(0.01);
    expect(board.output).toContain("later");
  });

  it("lets an absent global fail at run time with a ReferenceError, as on a board", () => {
    const board = bootBoard(`setTimeout(function () { var m = new Map(); }, 1);`);
    expect(board.errors).toHaveLength(0);
    board.clock.advanceBy(1);
    expect(board.errors[0]).toMatchObject({ name: "ReferenceError", where: "callback" });
  });
});
