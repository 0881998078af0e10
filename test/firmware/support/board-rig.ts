import mqtt from "mqtt";
import { loadBoardProfile } from "../../../boards/profile.ts";
import { validateRigConfig } from "../../../boards/rig-config.ts";
import type { RigConfig } from "../../../boards/rig-schema.ts";
import { decodeMessage, type Messages } from "../../../protocol/decode/message.ts";
import { buildFirmware } from "../../../scripts/build/bundle.ts";
import { simProfile } from "../../../sim/board-profile.ts";
import { SimBoard } from "../../../sim/runtime/board.ts";
import { VirtualClock } from "../../../sim/runtime/clock.ts";
import { SimFlash } from "../../../sim/runtime/flash.ts";
import { SimNetwork } from "../../../sim/runtime/net.ts";

// The built firmware bundle on a simulated board, publishing to a real broker, with a plain MQTT
// subscriber that decodes and records every message the board sends. The virtual clock is stepped
// by the test, a tenth of a second at a time, with a pause for real I/O between steps while the
// link is up, so the client's virtual-time timeouts never race the real sockets.

export const START_s = 1_800_000_000;
const STEP_s = 0.1;
const SETTLE_ms = 50;

export function syntheticRig(port: number, channels: number, extra: Partial<RigConfig> = {}): RigConfig {
  const raw = {
    rig: "outage",
    board: "linux",
    broker: { host: "127.0.0.1", port, keepalive_s: 30 },
    frame_s: 1,
    channels: Array.from({ length: channels }, (_, i) => ({
      id: `s${i + 1}`,
      quantity: "cell_voltage_v",
      unit: "V",
      sensor: "synthetic",
      shape: "sine",
      amplitude: 1000 + 100 * i,
      period_s: 60 + 7 * i,
      offset: 20000,
      rate_hz: 10,
      calibration: { kind: "linear", gain: 0.0001, offset: 0 },
    })),
    ...extra,
  };
  return validateRigConfig(raw, loadBoardProfile("linux"));
}

export interface Received {
  kind: string;
  topic: string;
  payload: Uint8Array;
  message: unknown;
  dup: boolean;
  qos: number;
}

export interface BoardUnderTest {
  board: SimBoard;
  clock: VirtualClock;
  network: SimNetwork;
  flash: SimFlash;
  received: Received[];
  /** Messages from the board that failed the host's decoder, with the reason. */
  invalid: string[];
  data(): Messages["data"][];
  of<K extends keyof Messages>(kind: K): Messages[K][];
  /** Runs `seconds` of virtual time; with `io`, real I/O gets a turn after every step. */
  run(seconds: number, io?: boolean): Promise<void>;
  /** Runs with I/O until `done()` or `limit_s` of virtual time passed. */
  runUntil(done: () => boolean, limit_s: number): Promise<void>;
  publish(topic: string, payload: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

const bundles = new Map<string, Promise<string>>();

export function bundleFor(config: RigConfig): Promise<string> {
  const key = JSON.stringify(config);
  let code = bundles.get(key);
  if (code === undefined) {
    code = buildFirmware({ board: loadBoardProfile(config.board), config }).then((b) => b.code);
    bundles.set(key, code);
  }
  return code;
}

function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export interface BoardOptions {
  flash?: SimFlash;
  serial?: string;
  /** Attaches chip twins to the board's buses before it boots. */
  wire?: (board: SimBoard) => void;
}

export async function startBoard(config: RigConfig, brokerUrl: string, options: BoardOptions = {}): Promise<BoardUnderTest> {
  const code = await bundleFor(config);
  const received: Received[] = [];
  const invalid: string[] = [];
  const subscriber = mqtt.connect(brokerUrl, { protocolVersion: 4, clean: true, reconnectPeriod: 100 });
  await new Promise<void>((resolve, reject) => {
    subscriber.once("connect", () => subscriber.subscribe("cellrig/v1/#", { qos: 1 }, (err) => (err ? reject(err) : resolve())));
    subscriber.once("error", reject);
  });
  subscriber.on("message", (topic, payload, packet) => {
    const kind = topic.split("/")[4]!;
    const bytes = new Uint8Array(payload);
    const decoded = kind === "cmd" || kind === "death" ? { ok: true as const, message: undefined } : decodeMessage(kind as keyof Messages, bytes);
    if (!decoded.ok) invalid.push(`${kind}: ${decoded.error.code}: ${decoded.error.message}`);
    else received.push({ kind, topic, payload: bytes, message: decoded.message, dup: packet.dup, qos: packet.qos });
  });
  const clock = new VirtualClock(START_s);
  const network = new SimNetwork();
  const profile = simProfile(loadBoardProfile(config.board));
  const flash = options.flash ?? new SimFlash(profile.storageBytes, profile.flashPageBytes);
  const board = new SimBoard({ code, profile, serial: options.serial ?? "b1", clock, network, flash });
  options.wire?.(board);
  board.boot();
  const step = async (io: boolean, i: number) => {
    clock.advanceBy(STEP_s);
    if (io) await pause(2);
    else if (i % 200 === 0) await pause(0);
  };
  return {
    board,
    clock,
    network,
    flash,
    received,
    invalid,
    data: () => received.filter((r) => r.kind === "data").map((r) => r.message as Messages["data"]),
    of: <K extends keyof Messages>(kind: K) => received.filter((r) => r.kind === kind).map((r) => r.message as Messages[K]),
    async run(seconds, io = true) {
      const steps = Math.round(seconds / STEP_s);
      for (let i = 0; i < steps; i++) await step(io, i);
      // the broker's answers to the last step's publishes arrive without virtual time passing, so a
      // link cut right after a run drops nothing in flight (a QoS 1 publish whose PUBACK is lost is
      // published again, and the subscriber would see it twice)
      if (io) await pause(SETTLE_ms);
    },
    async runUntil(done, limit_s) {
      const steps = Math.round(limit_s / STEP_s);
      for (let i = 0; i < steps && !done(); i++) await step(true, i);
      // let the last acknowledgements and deliveries arrive
      for (let i = 0; i < 20; i++) await step(true, i);
    },
    publish: (topic, payload) =>
      new Promise<void>((resolve, reject) => subscriber.publish(topic, Buffer.from(payload), { qos: 1 }, (err) => (err ? reject(err) : resolve()))),
    async close() {
      board.close();
      await subscriber.endAsync(true);
    },
  };
}
