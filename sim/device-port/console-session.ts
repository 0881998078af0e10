import { formatConsoleValue } from "./console-value.ts";
import { needsMoreInput } from "./input-complete.ts";
import type { VirtualDevice } from "./virtual-device.ts";

const DLE = "\x10";
const ESC = "\x1b";
const CTRL_C = "\x03";

/**
 * One connection to the interpreter's console, the subset of jsinteractive.c that upload tools
 * rely on: characters are echoed after a `>` prompt; Enter runs the line once its brackets are
 * closed (else `:` continues it); the result is printed as `=value`; DLE (0x10) turns echo off for
 * the rest of that line; ESC + newline adds a newline without running; ESC [ ... sequences (line
 * numbers, cursor keys) are skipped; Ctrl-C clears the line; backspace deletes. Lines the program
 * prints take the prompt away and put it back after them.
 */
export class ConsoleSession {
  private input = "";
  private echoOffForLine = false;
  private hadCR = false;
  private escape: "" | "esc" | "csi" = "";
  private promptShown = false;
  private executing = false;
  /** Input that arrived while the board was rebooting, run once it is back. */
  private waiting: string[] = [];
  private readonly onOutput = (line: string) => this.printLine(line);
  private readonly onBoot = () => this.flush();

  constructor(
    private readonly device: VirtualDevice,
    private readonly write: (text: string) => void,
  ) {
    device.on("output", this.onOutput);
    device.on("boot", this.onBoot);
  }

  /** Characters from the connection (one byte per character). */
  receive(data: string): void {
    if (!this.device.running() || this.waiting.length > 0) {
      this.waiting.push(data);
      return;
    }
    for (let i = 0; i < data.length; i++) {
      this.handle(data[i]!);
      if (!this.device.running()) {
        this.waiting.push(data.slice(i + 1));
        return;
      }
    }
  }

  close(): void {
    this.device.off("output", this.onOutput);
    this.device.off("boot", this.onBoot);
  }

  private flush(): void {
    const waiting = this.waiting.join("");
    this.waiting = [];
    if (waiting !== "") this.receive(waiting);
  }

  private handle(ch: string): void {
    if (this.escape !== "") {
      this.handleEscape(ch);
      return;
    }
    const afterCR = this.hadCR;
    this.hadCR = false;
    switch (ch) {
      case ESC:
        this.escape = "esc";
        return;
      case DLE:
        this.erasePrompt();
        this.echoOffForLine = true;
        return;
      case CTRL_C:
        this.clearLine();
        return;
      case "\x08":
      case "\x7f":
        if (this.input === "") return;
        this.input = this.input.slice(0, -1);
        if (this.lineEchoes()) this.write("\x08 \x08");
        return;
      case "\r":
        this.hadCR = true;
        this.enter();
        return;
      case "\n":
        if (!afterCR) this.enter();
        return;
      default:
        if (this.lineEchoes()) {
          this.showPrompt();
          this.write(ch);
        }
        this.input += ch;
    }
  }

  /** ESC + newline (Alt-Enter) continues the statement; ESC [ digits ; letter is a control sequence, skipped. */
  private handleEscape(ch: string): void {
    if (this.escape === "csi") {
      if (!/[0-9;]/.test(ch)) this.escape = "";
      return;
    }
    this.escape = ch === "[" ? "csi" : "";
    if (ch === "\n" || ch === "\r") {
      this.input += "\n";
      if (this.lineEchoes()) this.write("\r\n:");
    }
  }

  private enter(): void {
    if (needsMoreInput(this.input)) {
      this.input += "\n";
      if (this.lineEchoes()) this.write("\r\n:");
      return;
    }
    const code = this.input.trimEnd();
    const echo = this.lineEchoes();
    this.input = "";
    if (echo) {
      this.write("\r\n");
      this.promptShown = false;
    }
    if (code !== "") this.run(code, echo);
    this.echoOffForLine = false;
    this.showPrompt();
  }

  private run(code: string, echo: boolean): void {
    this.executing = true;
    let result;
    try {
      result = this.device.execute(code);
    } finally {
      this.executing = false;
    }
    if (!result.ok) this.printLine(result.name === "" ? `Uncaught ${result.message}` : `Uncaught ${result.name}: ${result.message}`);
    else if (echo) this.write(`=${formatConsoleValue(result.value)}\r\n`);
  }

  private clearLine(): void {
    const shown = this.lineEchoes() && this.promptShown ? this.input.length : 0;
    this.input = "";
    this.echoOffForLine = false;
    if (shown > 0) this.write("\x08".repeat(shown) + " ".repeat(shown) + "\x08".repeat(shown));
    this.showPrompt();
  }

  private printLine(line: string): void {
    this.erasePrompt();
    this.write(`${line}\r\n`);
    if (!this.executing) this.showPrompt();
  }

  private lineEchoes(): boolean {
    return this.device.echoing() && !this.echoOffForLine;
  }

  private showPrompt(): void {
    if (this.promptShown || !this.device.echoing()) return;
    this.write(">" + (this.echoOffForLine ? "" : this.input.replace(/\n/g, "\r\n:")));
    this.promptShown = true;
  }

  private erasePrompt(): void {
    if (!this.promptShown) return;
    const lastLine = this.echoOffForLine ? "" : this.input.slice(this.input.lastIndexOf("\n") + 1);
    this.write("\r" + " ".repeat(lastLine.length + 1) + "\r");
    this.promptShown = false;
  }
}
