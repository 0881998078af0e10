import { CborWriter } from "../protocol/wire/cbor-writer.ts";
import { writeValue } from "../protocol/wire/cbor-value.ts";
import { PROTOCOL_VERSION } from "../protocol/wire/data-frame.ts";
import type { Uplink } from "./uplink/uplink.ts";

/**
 * The board's health (docs/PROTOCOL.md "health"): memory, error flags, store fill and link state, in
 * the birth and every `health_s` on its own topic. Error flags are collected as the interpreter
 * raises them (and as the link reports what kept it down, e.g. `WIFI_auth_fail`, and the store a
 * Storage write that failed, `STORAGE_FULL`), so a flag raised and cleared between two reports is still reported once. Encoded with
 * the generic deterministic encoder: once a minute, the bytes of a dedicated encoder are not worth it.
 */
export class Health {
  private readonly uplink: Uplink;
  private readonly boot: number;
  private readonly boot_us: number;
  private errors: string[] = [];

  constructor(uplink: Uplink, boot: number) {
    this.uplink = uplink;
    this.boot = boot;
    this.boot_us = Math.round(getTime() * 1e6);
    const self = this;
    E.on("errorFlag", function (flags) {
      self.note(flags);
    });
  }

  private note(flags: string[]): void {
    for (let i = 0; i < flags.length; i++) if (this.errors.indexOf(flags[i]) < 0) this.errors.push(flags[i]);
  }

  /** The figures as the birth carries them; `t_us` is now. */
  forBirth(t_us?: number): { [key: string]: unknown } {
    const memory = process.memory();
    const store = this.uplink.store;
    this.note(E.getErrorFlags());
    this.note(this.uplink.flags);
    this.uplink.flags = [];
    if (store.failed) this.note(["STORAGE_FULL"]);
    store.failed = false;
    return {
      mem: { used: memory.usage, total: memory.total },
      buf: { used: store.used_B(), total: store.total_B() },
      err: this.errors,
      link: { state: this.uplink.up ? "up" : "down", connects: this.uplink.connects },
      up: (t_us === undefined ? Math.round(getTime() * 1e6) : t_us) - this.boot_us,
    };
  }

  publish(): void {
    if (!this.uplink.up) return;
    const t_us = Math.round(getTime() * 1e6);
    const m = this.forBirth(t_us);
    m.b = this.boot;
    m.t = t_us;
    m.v = PROTOCOL_VERSION;
    const w = new CborWriter(192);
    writeValue(w, m);
    this.errors = [];
    this.uplink.health(w.bytes());
  }
}
