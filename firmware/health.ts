import { CborWriter } from "../protocol/wire/cbor-writer.ts";
import { writeHealth, type HealthMessage } from "../protocol/wire/health.ts";
import type { Uplink } from "./uplink/uplink.ts";

/**
 * The board's health: memory, error flags, store fill and link state, in the birth and every
 * `health_s` on its own topic. Error flags are collected as the interpreter raises them, so a
 * flag raised and cleared between two reports is still reported once.
 */
export class Health {
  private readonly uplink: Uplink;
  private readonly boot_us: number;
  private readonly writer = new CborWriter(192);
  private readonly message: HealthMessage;
  private errors: string[] = [];

  constructor(uplink: Uplink, boot: number) {
    this.uplink = uplink;
    this.boot_us = Math.round(getTime() * 1e6);
    this.message = { boot: boot, t_us: 0, uptime_us: 0, memUsed: 0, memTotal: 0, bufUsed: 0, bufTotal: 0, errors: this.errors, link: "down", connects: 0 };
    const self = this;
    E.on("errorFlag", function (flags) {
      for (let i = 0; i < flags.length; i++) if (self.errors.indexOf(flags[i]) < 0) self.errors.push(flags[i]);
    });
  }

  /** The current figures (the same object each time). */
  sample(): HealthMessage {
    const m = this.message;
    const memory = process.memory();
    const flags = E.getErrorFlags();
    for (let i = 0; i < flags.length; i++) if (this.errors.indexOf(flags[i]) < 0) this.errors.push(flags[i]);
    m.t_us = Math.round(getTime() * 1e6);
    m.uptime_us = m.t_us - this.boot_us;
    m.memUsed = memory.usage;
    m.memTotal = memory.total;
    m.bufUsed = this.uplink.store.used_B();
    m.bufTotal = this.uplink.store.total_B();
    m.errors = this.errors;
    m.link = this.uplink.up ? "up" : "down";
    m.connects = this.uplink.connects;
    return m;
  }

  /** For the birth: the same figures as a plain map. */
  forBirth(): object {
    const m = this.sample();
    return { mem: { used: m.memUsed, total: m.memTotal }, buf: { used: m.bufUsed, total: m.bufTotal }, err: m.errors, link: { state: m.link, connects: m.connects }, up: m.uptime_us };
  }

  publish(): void {
    if (!this.uplink.up) return;
    this.writer.reset();
    writeHealth(this.writer, this.sample());
    this.errors = [];
    this.uplink.health(this.writer.bytes());
  }
}
