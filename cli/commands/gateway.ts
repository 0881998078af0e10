import { createRequire } from "node:module";
import type { Command } from "../command.ts";
import { UsageError } from "../command.ts";
import { LOGIN_FLAGS, LOGIN_USAGE, loginFromFlags, parseFlags } from "../args.ts";
import { untilStopped } from "../until-stopped.ts";
import { CommandKeys } from "../../host/bridge/command-keys.ts";
import { Gateway, type SerialStream } from "../../host/gateway/gateway.ts";

export const gateway: Command = {
  name: "gateway",
  summary: "carry a USB or Bluetooth LE board's framed messages to an MQTT broker and its commands back",
  usage: `usage: cellrig gateway --port <serial path> --broker <url> [--baud <rate>]

  --port <path>        the board's serial port: /dev/ttyACM0 (USB), /dev/rfcomm0 or a Bluetooth LE
                       UART bridged to a serial device, COM3
  --broker <url>       MQTT broker (env CELLRIG_BROKER), e.g. mqtt://127.0.0.1:1883
  --baud <rate>        baud rate (default 115200; USB CDC ignores it)
  --silence <s>        seconds without a frame before the board's death is published (default 30)
  --data <dir>         data folder whose keys/ hold the boards' command keys, as cellrig flash
                       made them (env CELLRIG_DATA, default ./data)
${LOGIN_USAGE}

Each frame is checked (COBS, CRC-32) and republished unchanged on the topic of the board's birth;
the board is told a message was delivered once the broker has acknowledged it. A command for a
board with a key under <data>/keys is passed on only when its tag, boot and counter pass, as the
board itself would check them; a refused one is acked with the board's refusal code. SIGINT or
SIGTERM publishes the board's death and stops.`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      port: { type: "string" },
      broker: { type: "string", default: process.env.CELLRIG_BROKER },
      baud: { type: "string", default: "115200" },
      silence: { type: "string", default: "30" },
      data: { type: "string", default: process.env.CELLRIG_DATA ?? "./data" },
      ...LOGIN_FLAGS,
    });
    if (!values.port) throw new UsageError("--port is required: the board's serial port, e.g. --port /dev/ttyACM0");
    if (!values.broker) throw new UsageError("--broker is required, e.g. --broker mqtt://127.0.0.1:1883");
    const baud = Number(values.baud);
    if (!Number.isInteger(baud) || baud <= 0) throw new UsageError(`--baud must be a positive integer, got "${values.baud}"`);
    const silence_s = Number(values.silence);
    if (!(silence_s > 0)) throw new UsageError(`--silence must be a number of seconds above 0, got "${values.silence}"`);

    const login = loginFromFlags(values);
    const keys = new CommandKeys(values.data);

    const serial = await openSerialPort(values.port, baud);
    const running = new Gateway({ serial, brokerUrl: values.broker, login, keys, silence_s, log: (line) => console.log(line) });
    console.log(`gateway     ${values.port} at ${baud} baud <-> ${values.broker}`);
    console.log(`keys        ${keys.dir} (commands to a board with a key there must be signed)`);
    await untilStopped();
    await running.close();
    serial.close();
    console.log("stopped.");
    return 0;
  },
};

/** Opens the port with the `serialport` package (an optional dependency: its native part may be missing). */
async function openSerialPort(path: string, baudRate: number): Promise<SerialStream & { close(): void }> {
  let SerialPort: typeof import("serialport").SerialPort;
  try {
    ({ SerialPort } = createRequire(import.meta.url)("serialport") as typeof import("serialport"));
  } catch (err) {
    throw new Error(`the serialport package cannot be loaded (${(err as Error).message}); reinstall with optional dependencies (npm install --include=optional)`);
  }
  return new Promise((resolveOpen, reject) => {
    const port = new SerialPort({ path, baudRate }, (err) => {
      if (err) reject(new Error(`serial port ${path} cannot be opened: ${err.message} (check the path, that the board is plugged in and that you may use the device)`));
      else resolveOpen(port);
    });
  });
}
