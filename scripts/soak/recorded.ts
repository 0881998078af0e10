import type { RigConfig } from "../../boards/rig-schema.ts";
import { makeSchedule } from "../../protocol/wire/schedule.ts";
import type { SimBoard } from "../../sim/runtime/board.ts";

/**
 * What a board recorded, counted where the sample is born rather than where it is stored: every
 * read of an ADS1115's conversion register by the firmware is one sample (a single input per chip
 * runs in continuous mode and is read once per sample, firmware/drivers/ads1115.ts). A probe sits
 * between the bus and the chip twin and counts those reads; it neither changes nor sees the frames.
 *
 * The frame in progress when the run ends was read but not yet cut into a frame, so it is neither
 * stored nor lost: a boot's frames hold `ticksPerFrame` reads each, and what is left over in the
 * last boot is set aside. A boot that ended in a brown-out keeps its partial frame in the count:
 * those samples were recorded and must be stored or reported lost.
 */

const REG_CONVERSION = 0;

export interface RecordedCount {
  /** Conversion reads over every boot. */
  reads: number;
  /** Reads when each boot after the first began. */
  bootStarts: number[];
}

/** The rig's one-input ADS1115 channels; others would need their own probe. */
function countedChannels(config: RigConfig): { bus: string; address: number }[] {
  const chips = new Map<string, number>();
  for (const ch of config.channels) {
    if (ch.sensor !== "ads1115") throw new Error(`the soak counts samples at ADS1115 conversions; channel "${ch.id}" is ${ch.sensor} (use a rig of one-input ADS1115 channels, e.g. rigs/default.json)`);
    const key = `${ch.bus}@${ch.address}`;
    chips.set(key, (chips.get(key) ?? 0) + 1);
    if (chips.get(key)! > 1) throw new Error(`the soak counts one conversion read per sample; channel "${ch.id}" shares the ADS1115 at ${key} with another input, which is scanned`);
  }
  return config.channels.map((ch) => ({ bus: (ch as { bus: string }).bus, address: (ch as { address: number }).address }));
}

/** Puts a counting probe in front of every sampled chip of `board`. */
export function countConversions(board: SimBoard, config: RigConfig): RecordedCount {
  const count: RecordedCount = { reads: 0, bootStarts: [] };
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
        if (pointer === REG_CONVERSION) count.reads++;
        return bytes;
      },
    });
  }
  board.on("reboot", () => count.bootStarts.push(count.reads));
  return count;
}

/** Samples recorded into frames: every read but those of the last boot's unfinished frame. */
export function recordedSamples(count: RecordedCount, config: RigConfig): number {
  const ticksPerFrame = makeSchedule(config.channels, config.frame_s).ticksPerFrame;
  const channels = config.channels.length;
  const lastBoot = count.reads - (count.bootStarts.at(-1) ?? 0);
  // Every channel of these rigs samples on every tick, so a frame is ticksPerFrame reads per channel.
  if (config.channels.some((ch) => ch.rate_hz !== config.channels[0]!.rate_hz)) throw new Error("the soak's count assumes every channel at one rate");
  return count.reads - (lastBoot % (ticksPerFrame * channels));
}
