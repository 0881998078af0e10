import { openLink } from "cellrig:transport";
import type { Command } from "../../protocol/wire/command.ts";
import { CborWriter } from "../../protocol/wire/cbor-writer.ts";
import { writeValue } from "../../protocol/wire/cbor-value.ts";
import type { BoardConfig } from "../config.ts";
import { SEND_BIRTH, SEND_HEALTH, type Link } from "../transport/link.ts";
import type { RecordMeta } from "../store/record.ts";
import { Store } from "../store/store.ts";

/** Records the store may have in flight at once. */
const STORE_WINDOW = 4;

export interface UplinkOptions {
  config: BoardConfig;
  board: string;
  boot: number;
  /** Builds the birth message when the link comes up, so it carries the current sequence number and health. */
  birth: () => object;
  command: (cmd: Command) => void;
  refuse: (id: number, code: string, message: string) => void;
  ram_B: number;
  flashSegments: number;
}

/**
 * The board's link to the host: announces the board with a birth every time the link comes up, and
 * delivers every stored message (data, alarm, ack, gap) reliably and in order through the store.
 */
export class Uplink {
  private readonly birth: () => object;
  private readonly link: Link;
  readonly store: Store;
  /** Link state, and times it came up in this boot. */
  up = false;
  connects = 0;
  /** What kept the link from coming up since the last health report (LinkOptions.flag). */
  flags: string[] = [];

  constructor(opts: UplinkOptions) {
    this.birth = opts.birth;
    const self = this;
    this.link = openLink({
      config: opts.config,
      board: opts.board,
      boot: opts.boot,
      up: function () {
        self.up = true;
        self.connects++;
        self.announce();
        self.store.up();
      },
      down: function () {
        self.up = false;
        self.store.down();
      },
      acked: function (id) {
        self.store.acked(id);
      },
      command: opts.command,
      refuse: opts.refuse,
      flag: function (name) {
        if (self.flags.indexOf(name) < 0) self.flags.push(name);
      },
    });
    const link = this.link;
    this.store = new Store({
      storage: require("Storage"),
      ram_B: opts.ram_B,
      flashSegments: opts.flashSegments,
      window: STORE_WINDOW,
      boot: opts.boot,
      link: {
        publish: function (kind, payload) {
          return link.send(kind, payload, true);
        },
      },
    });
  }

  start(): void {
    this.link.start();
  }

  /** Queues a message that must reach the host; the payload is copied. */
  push(meta: RecordMeta, payload: Uint8Array): void {
    this.store.push(meta, payload);
  }

  /** Sends health now if the link is up; nothing is kept. */
  health(payload: Uint8Array): void {
    if (this.up) this.link.send(SEND_HEALTH, payload, false);
  }

  /** Sends the birth again (after a configuration change). */
  announce(): void {
    if (!this.up) return;
    const w = new CborWriter(2048);
    writeValue(w, this.birth());
    this.link.send(SEND_BIRTH, w.bytes(), true);
  }
}
