import type { Birth } from "../../protocol/schema/birth.ts";
import type { LiveAck, LiveAlarm, LiveHealth, LiveRegistry } from "./api-types.ts";

export type { LiveAck, LiveAlarm, LiveHealth, LiveRegistry };

/** One channel's samples of one frame, converted to the channel's unit. */
export interface LiveChannel {
  channel: string;
  quantity: string;
  unit: string;
  t_us: number[];
  raw: number[];
  value: number[];
}

/** The samples of one stored frame. */
export interface LiveSamples {
  type: "samples";
  rig: string;
  board: string;
  boot: number;
  seq: number;
  channels: LiveChannel[];
}

export interface LiveBirth {
  type: "birth";
  rig: string;
  board: string;
  birth: Birth;
}

export interface LiveDeath {
  type: "death";
  rig: string;
  board: string;
  boot: number;
}

export type BridgeEvent = LiveSamples | LiveBirth | LiveDeath | LiveHealth | LiveAlarm | LiveAck | LiveRegistry;
export type BridgeListener = (event: BridgeEvent) => void;
