import { loadBoardProfile } from "../../boards/profile.ts";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../host/broker/embedded.ts";
import { simProfile } from "../../sim/board-profile.ts";
import { Ads1115Twin } from "../../sim/chips/ads1115.ts";
import { startDevicePort, type DevicePort } from "../../sim/device-port/device-port.ts";
import { SimBoard } from "../../sim/runtime/board.ts";
import { VirtualClock } from "../../sim/runtime/clock.ts";

// A bench for `cellrig flash`: a linux board with an ADS1115 on I2C1 behind a simulated device
// port (where espruino-tools connects as to a USB cable), a broker for its birth, and a clock
// that runs in real time so the upload's timeouts mean what they say.

export interface FlashBench {
  broker: EmbeddedBroker;
  port: DevicePort;
  clock: VirtualClock;
  close(): Promise<void>;
}

export async function startFlashBench(serial: string): Promise<FlashBench> {
  const broker = await startEmbeddedBroker({ host: "127.0.0.1", port: 0 });
  const clock = new VirtualClock(Date.now() / 1000);
  const profile = simProfile(loadBoardProfile("linux"));
  const port = await startDevicePort({
    clock,
    createBoard: (code, flash) => {
      const board = new SimBoard({ code, flash, profile, serial, clock });
      board.i2c("I2C1").attach(new Ads1115Twin(0x48));
      return board;
    },
  });
  const realtime = clock.runRealtime({ speed: 1 });
  return {
    broker,
    port,
    clock,
    async close() {
      realtime.stop();
      await port.close();
      await broker.close();
    },
  };
}
