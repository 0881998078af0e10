import type { RigConfig } from "../../boards/rig-schema.ts";
import { makeSchedule } from "../../protocol/wire/schedule.ts";
import type { SimBoard } from "../../sim/runtime/board.ts";

/**
 * What a board recorded, counted where the sample is born rather than where it is stored: every
 * read of an ADS1115's conversion register by the firmware is one sample (a single input per chip
 * runs in continuous mode and is read once per sample, firmware/drivers/ads1115.ts). A probe sits
 * between the bus and the chip twin and counts those reads; it neither changes nor sees the frames.
 *
 * Each boot numbers its frames from 0, and every frame holds `ticksPerFrame` reads of each channel,
 * so the reads of a boot say which frames it recorded (sequence numbers 0 to n − 1) and how many
 * samples were in the frame still open when it ended: lost with RAM at a brown-out (to be covered
 * by the next boot's gap message), merely unfinished at the end of the run (set aside).
 */

const REG_CONVERSION = 0;

/** One boot of a board: its id (read from the firmware's frame header, a label only) and the conversions it read. */
export interface RecordedBoot {
  boot: number;
  reads: number;
}

export interface RecordedCount {
  boots: RecordedBoot[];
}

/** The rig's one-input ADS1115 channels; others would need their own probe. */
function countedChannels(config: RigConfig): { bus: string; address: number }[] {
  const chips = new Set<string>();
  for (const ch of config.channels) {
    if (ch.sensor !== "ads1115") throw new Error(`the soak counts samples at ADS1115 conversions; channel "${ch.id}" is ${ch.sensor} (use a rig of one-input ADS1115 channels, e.g. rigs/default.json)`);
    const key = `${ch.bus}@${ch.address}`;
    if (chips.has(key)) throw new Error(`the soak counts one conversion read per sample; channel "${ch.id}" shares the ADS1115 at ${key} with another input, which is scanned`);
    chips.add(key);
    if (ch.rate_hz !== config.channels[0]!.rate_hz) throw new Error(`the soak's count assumes every channel at one rate; channel "${ch.id}" differs`);
  }
  return config.channels.map((ch) => ({ bus: (ch as { bus: string }).bus, address: (ch as { address: number }).address }));
}

/** Puts a counting probe in front of every sampled chip of `board`. */
export function countConversions(board: SimBoard, config: RigConfig): RecordedCount {
  const count: RecordedCount = { boots: [] };
  let current: RecordedBoot | undefined;
  for (const { bus: name, address } of countedChannels(config)) {
    const bus = board.i2c(name);
    const chip = bus.device(address);
    if (chip === undefined) throw new Error(`board ${board.serial} has no chip twin at ${name}@${address} to count conversions of`);
    // The probe goes in after the boot, whose start() left the chip's pointer on the conversion register.
    let pointer = REG_CONVERSION;
    bus.detach(address);
    bus.attach({
      address,
      write(bytes, time_s) {
        chip.write(bytes, time_s);
        if (bytes.length > 0) pointer = bytes[0]! & 3;
      },
      read(n, time_s) {
        const bytes = chip.read(n, time_s);
        if (pointer === REG_CONVERSION) {
          // Sampling starts after the firmware has published its running state, header included.
          current ??= { boot: Number(board.evaluate("cellrig.header.boot")), reads: 0 };
          if (count.boots.at(-1) !== current) count.boots.push(current);
          current.reads++;
        }
        return bytes;
      },
    });
  }
  board.on("reboot", () => (current = undefined));
  return count;
}

/** A boot's frames as the chips saw them: whole frames cut, and the samples of the frame still open when it ended. */
export interface BootFrames {
  boot: number;
  frames: number;
  samplesPerFrame: number;
  openSamples: number;
}

export function bootFrames(count: RecordedCount, config: RigConfig): BootFrames[] {
  const samplesPerFrame = makeSchedule(config.channels, config.frame_s).ticksPerFrame * config.channels.length;
  return count.boots.map((b) => ({ boot: b.boot, frames: Math.floor(b.reads / samplesPerFrame), samplesPerFrame, openSamples: b.reads % samplesPerFrame }));
}
