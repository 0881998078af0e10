import { ACK_OK } from "../protocol/wire/ack.ts";
import { CborWriter } from "../protocol/wire/cbor-writer.ts";
import { writeValue } from "../protocol/wire/cbor-value.ts";
import { PROTOCOL_VERSION } from "../protocol/wire/data-frame.ts";
import type { CalibrationFields, Command } from "../protocol/wire/command.ts";

/** What commands act on; each returns "" when done, or an error message naming what is wrong. */
export interface CommandTarget {
  setRate(channel: string, rate_hz: number): string;
  setThreshold(channel: string, rule: string, threshold: number): string;
  setCalibration(channel: string, cal: CalibrationFields): string;
  rebirth(): void;
  resendFrom(boot: number, seq: number): string;
  reboot(): void;
  /** Writes the configuration in force to the stored configuration. */
  persist(): string;
}

/** Queues an encoded ack (acks go through the store, so they are not lost with the link). */
export type AckSink = (payload: Uint8Array) => void;

/**
 * Applies commands from the `cmd` topic, parsed and validated by protocol/wire/command.ts (on the
 * board for MQTT, by the gateway for the serial transport): each is carried out (and, with
 * `persist`, written to the stored configuration before the ack), and
 * acknowledged with its result. A reboot is acknowledged first and carried out a second later, so
 * the ack can leave the board.
 */
export class Commands {
  private readonly target: CommandTarget;
  private readonly sink: AckSink;
  private readonly writer = new CborWriter(320);
  private readonly boot: number;

  constructor(target: CommandTarget, boot: number, sink: AckSink) {
    this.target = target;
    this.sink = sink;
    this.boot = boot;
  }

  run(cmd: Command): void {
    let problem: string;
    try {
      problem = this.apply(cmd);
      if (problem === "" && cmd.persist && (cmd.op === "set_rate" || cmd.op === "set_threshold" || cmd.op === "set_calibration")) problem = this.target.persist();
    } catch (err) {
      problem = err instanceof Error ? err.message : String(err);
    }
    if (problem === "") this.reply(cmd.id, ACK_OK, cmd.op + " done");
    else this.reply(cmd.id, "rejected", problem);
    if (problem === "" && cmd.op === "reboot") {
      const target = this.target;
      setTimeout(function () {
        target.reboot();
      }, 1000);
    }
  }

  private apply(cmd: Command): string {
    const t = this.target;
    if (cmd.op === "set_rate") return t.setRate(cmd.channel, cmd.rate_hz);
    if (cmd.op === "set_threshold") return t.setThreshold(cmd.channel, cmd.rule, cmd.threshold);
    if (cmd.op === "set_calibration") return t.setCalibration(cmd.channel, cmd.cal);
    if (cmd.op === "resend_from") return t.resendFrom(cmd.b, cmd.seq);
    if (cmd.op === "rebirth") t.rebirth();
    return "";
  }

  /** Acks a command that failed the protocol's checks (or, with ACK_OK, one carried out). */
  reply(id: number, code: string, message: string): void {
    // docs/PROTOCOL.md "cmd and ack"; the id is left out when the command had no readable one
    this.writer.reset();
    writeValue(this.writer, { b: this.boot, v: PROTOCOL_VERSION, id: id >= 0 ? id : undefined, ok: code === ACK_OK, code: code, message: message });
    this.sink(this.writer.bytes());
  }
}
